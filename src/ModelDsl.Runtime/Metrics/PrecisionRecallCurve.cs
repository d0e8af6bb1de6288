namespace ModelDsl.Metrics;

/// <summary>
/// One class's precision–recall curve: points (Recall[i], Precision[i]) in order of decreasing score
/// threshold, as a mean-average-precision metric computes them (e.g. the 101 recall points of COCO's
/// interpolation, or the raw operating points). Drawn by <c>Plots.PrecisionRecall</c>.
/// </summary>
public sealed record PrecisionRecallCurve(int Class, double[] Recall, double[] Precision)
{
    public int Count => Recall.Length;
}
