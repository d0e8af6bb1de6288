namespace ModelDsl.Metrics;

/// <summary>
/// One ROC curve: points (FPR, TPR) for decreasing thresholds, starting at (0, 0) with threshold +∞ and
/// ending at (1, 1). Tied scores form one point (one threshold), so ties contribute a diagonal segment and
/// the trapezoidal area counts them half, exactly as sklearn's roc_curve/roc_auc_score and torchmetrics.
/// Intermediate collinear points are kept (sklearn's drop_intermediate = False).
/// </summary>
public sealed record RocCurveResult(double[] FalsePositiveRate, double[] TruePositiveRate, double[] Thresholds, long Positives, long Negatives)
{
    /// <summary>Whether the curve is defined: at least one positive and one negative sample.</summary>
    public bool IsDefined => Positives > 0 && Negatives > 0;

    /// <summary>Area under the curve by the trapezoidal rule; NaN when the curve is undefined.</summary>
    public double Auc
    {
        get
        {
            if (!IsDefined) return double.NaN;
            double a = 0;
            for (int i = 1; i < FalsePositiveRate.Length; i++)
                a += (FalsePositiveRate[i] - FalsePositiveRate[i - 1]) * (TruePositiveRate[i] + TruePositiveRate[i - 1]) / 2;
            return a;
        }
    }
}
