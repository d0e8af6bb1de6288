namespace ModelDsl.Metrics;

/// <summary>
/// Balanced error rate = 1 − balanced accuracy = 1 − mean over the classes present in the targets of the
/// per-class recall (sklearn's balanced_accuracy_score). Robust to class imbalance: always predicting the
/// majority class gives 1 − 1/C. Multilabel: 1 − mean over labels of (recall + specificity)/2.
/// <see cref="ClassificationMetric.ComputePerClass"/> returns the per-class error 1 − recall.
/// </summary>
public sealed class BalancedErrorRate : ClassificationMetric
{
    public BalancedErrorRate(int numClasses, ClassificationTask task = ClassificationTask.Multiclass,
        double threshold = 0.5, bool fromLogits = true, long? ignoreIndex = null)
        : base("balanced_error_rate", numClasses, Metrics.Average.None, task, threshold, fromLogits, ignoreIndex) { }

    protected override bool IsOneNumberMetric => true;

    protected override double Score(ClassStatistics stats, Average average) => 1.0 - stats.BalancedAccuracy();

    protected override double[] PerClass(ClassStatistics stats) => stats.RecallPerClass().Select(r => 1.0 - r).ToArray();
}
