namespace ModelDsl.Metrics;

/// <summary>
/// Precision, streaming: tp / (tp + fp): of the samples predicted as a class, the share that are.
/// Average: Micro / Macro / Weighted / None (<see cref="ClassificationMetric.ComputePerClass"/>) / Binary
/// (positive class only; the default for <see cref="ClassificationTask.Binary"/>; Micro otherwise, as torchmetrics' task wrapper —
/// the <c>Multiclass</c>/<c>Multilabel</c> factories default to Macro, as its per-task classes). With None, <c>Compute()</c> returns the per-class scores.
/// Zero denominators give 0 (sklearn's zero_division = 0).
/// </summary>
public sealed class Precision : ClassificationMetric
{
    /// <param name="numClasses">Classes (Multiclass) or labels (Multilabel); ignored for Binary.</param>
    /// <param name="average">Reduction; null → Binary for the binary task, Micro otherwise (torchmetrics' default).</param>
    /// <param name="task">How outputs become labels (argmax, or a threshold).</param>
    /// <param name="threshold">Probability threshold for Binary/Multilabel.</param>
    /// <param name="fromLogits">Binary/Multilabel: apply a sigmoid before the threshold (outputs are logits).</param>
    /// <param name="ignoreIndex">Multiclass: a target value to skip (e.g. 255 or -100).</param>
    public Precision(int numClasses, Average? average = null, ClassificationTask task = ClassificationTask.Multiclass,
        double threshold = 0.5, bool fromLogits = true, long? ignoreIndex = null)
        : base("precision", numClasses, average, task, threshold, fromLogits, ignoreIndex) { }

    /// <summary>Binary Precision of the positive class (threshold on one logit/probability per sample).</summary>
    public static Precision Binary(double threshold = 0.5, bool fromLogits = true, Average average = Average.Binary) =>
        new(2, average, ClassificationTask.Binary, threshold, fromLogits);

    public static Precision Multiclass(int numClasses, Average average = Average.Macro, long? ignoreIndex = null) =>
        new(numClasses, average, ClassificationTask.Multiclass, ignoreIndex: ignoreIndex);

    public static Precision Multilabel(int numLabels, Average average = Average.Macro, double threshold = 0.5, bool fromLogits = true) =>
        new(numLabels, average, ClassificationTask.Multilabel, threshold, fromLogits);

    protected override double Score(ClassStatistics stats, Average average) => stats.Precision(average);

    protected override double[] PerClass(ClassStatistics stats) => stats.PrecisionPerClass();
}
