using TorchSharp;

namespace ModelDsl.Metrics;

/// <summary>
/// Streaming per-class report (sklearn's classification_report): one <see cref="ConfusionMatrixState"/>
/// gives per-class precision, recall, F1 and support with class names, accuracy, micro/macro/weighted
/// averages, the confusion matrix and the balanced error rate — everything metrics.json needs, from a
/// single scatter-add per batch.
/// </summary>
public sealed class ClassificationReport : IMetric<ClassificationReportResult>, IDisposable
{
    /// <param name="classNames">One name per class (Multiclass) or label (Multilabel); for Binary two names (negative, positive).</param>
    /// <param name="task">How outputs become labels.</param>
    /// <param name="threshold">Probability threshold for Binary/Multilabel.</param>
    /// <param name="fromLogits">Binary/Multilabel: apply a sigmoid before the threshold.</param>
    /// <param name="ignoreIndex">Multiclass: a target value to skip.</param>
    public ClassificationReport(IReadOnlyList<string> classNames, ClassificationTask task = ClassificationTask.Multiclass,
        double threshold = 0.5, bool fromLogits = true, long? ignoreIndex = null)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (task == ClassificationTask.Binary && classNames.Count != 2)
            throw new ArgumentException($"classification_report: a binary task needs two class names (negative, positive), got {classNames.Count}.", nameof(classNames));
        ClassNames = classNames.ToArray();
        State = new ConfusionMatrixState(Name, task, classNames.Count, threshold, fromLogits, ignoreIndex);
    }

    /// <summary>Report with class names "0", "1", … .</summary>
    public ClassificationReport(int numClasses, ClassificationTask task = ClassificationTask.Multiclass,
        double threshold = 0.5, bool fromLogits = true, long? ignoreIndex = null)
        : this(Enumerable.Range(0, task == ClassificationTask.Binary ? 2 : numClasses).Select(i => i.ToString()).ToArray(),
            task, threshold, fromLogits, ignoreIndex) { }

    public string Name => "classification_report";
    public IReadOnlyList<string> ClassNames { get; }
    public ConfusionMatrixState State { get; }

    public void Update(torch.Tensor predictions, torch.Tensor targets) => State.Update(predictions, targets);

    public ClassificationReportResult Compute() => ClassificationReportResult.From(State.Statistics(), ClassNames);

    public void Reset() => State.Reset();

    public void Dispose() => State.Dispose();
}
