namespace ModelDsl.Metrics;

/// <summary>How per-class scores (precision, recall, F1) are reduced to one number (sklearn/torchmetrics semantics).</summary>
public enum Average
{
    /// <summary>
    /// Pool the counts over all classes first: Σtp / (Σtp + Σfp) etc. For single-label multiclass data
    /// micro precision = micro recall = micro F1 = accuracy.
    /// </summary>
    Micro,

    /// <summary>
    /// Unweighted mean of the per-class scores. For Binary/Multiclass, classes that never occur in the
    /// targets nor the predictions (tp + fp + fn = 0) are left out, as sklearn (which only sees the labels
    /// present) and torchmetrics do; for Multilabel every label counts.
    /// </summary>
    Macro,

    /// <summary>Mean of the per-class scores weighted by support (the number of true instances of each class).</summary>
    Weighted,

    /// <summary>No reduction: use <c>ComputePerClass()</c>; <c>Compute()</c> then returns the macro mean.</summary>
    None,

    /// <summary>
    /// Binary task only: the score of the positive class (1), sklearn's <c>average='binary'</c> and
    /// torchmetrics' Binary* metrics. The default for <see cref="ClassificationTask.Binary"/>.
    /// </summary>
    Binary,
}
