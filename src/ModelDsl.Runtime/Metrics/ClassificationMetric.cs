using TorchSharp;

namespace ModelDsl.Metrics;

/// <summary>
/// Base of the count-based classification metrics (precision, recall, F1, balanced error rate): all of them
/// keep one <see cref="ConfusionMatrixState"/> and derive their value from its <see cref="ClassStatistics"/>.
/// </summary>
public abstract class ClassificationMetric : IMetric, IDisposable
{
    protected ClassificationMetric(string baseName, int numClasses, Average? average, ClassificationTask task,
        double threshold, bool fromLogits, long? ignoreIndex)
    {
        // torchmetrics' task wrapper (torchmetrics.Precision(task=…)) defaults to micro; its per-task classes
        // (MulticlassPrecision, …) to macro, which the Multiclass/Multilabel factories keep.
        Average = average ?? (task == ClassificationTask.Binary ? Metrics.Average.Binary : Metrics.Average.Micro);
        if (Average == Metrics.Average.Binary && task != ClassificationTask.Binary)
            throw new ArgumentException($"{baseName}: Average.Binary (positive class only) needs ClassificationTask.Binary, not {task}.", nameof(average));
        Name = Average switch
        {
            Metrics.Average.Binary => baseName,
            Metrics.Average.None => baseName,
            _ => $"{baseName}_{Average.ToString().ToLowerInvariant()}",
        };
        State = new ConfusionMatrixState(Name, task, numClasses, threshold, fromLogits, ignoreIndex);
    }

    public string Name { get; }
    public Average Average { get; }
    public ClassificationTask Task => State.Task;
    public int NumClasses => State.NumClasses;

    /// <summary>The shared count state (one scatter-add per batch).</summary>
    public ConfusionMatrixState State { get; }

    public void Update(torch.Tensor predictions, torch.Tensor targets) => State.Update(predictions, targets);

    /// <summary>
    /// torchmetrics' <c>metric(preds, target)</c> (its <c>forward</c>): the score of this batch alone, reduced as
    /// <see cref="Compute"/> reduces, while the batch is also accumulated as <see cref="Update"/> would.
    /// </summary>
    public ClassScores Forward(torch.Tensor predictions, torch.Tensor targets)
    {
        using var batch = new ConfusionMatrixState(State.MetricName, State.Task, State.NumClasses, State.Threshold, State.FromLogits, State.IgnoreIndex);
        batch.Update(predictions, targets);
        State.Update(predictions, targets);
        var stats = batch.Statistics();
        return Average == Metrics.Average.None && !IsOneNumberMetric ? ClassScores.PerClass(Name, PerClass(stats)) : ClassScores.One(Name, Score(stats, Average));
    }

    /// <summary>
    /// The score reduced by <see cref="Average"/>: one number, or with <see cref="Average.None"/> one per class
    /// (torchmetrics' <c>compute()</c> with <c>average=None</c>); converts to <c>double</c> when it is one number.
    /// </summary>
    public ClassScores Compute()
    {
        var stats = State.Statistics();
        return Average == Metrics.Average.None && !IsOneNumberMetric ? ClassScores.PerClass(Name, PerClass(stats)) : ClassScores.One(Name, Score(stats, Average));
    }

    /// <summary>
    /// The one number an epoch table shows: the score itself, or for <see cref="Average.None"/> the macro mean of the
    /// per-class scores (a table has one column per metric; <see cref="Compute"/> gives the vector).
    /// </summary>
    double IMetric.Compute() => Score(State.Statistics(), Average);

    /// <summary>One score per class (per label for Multilabel; classes 0 and 1 for Binary).</summary>
    public double[] ComputePerClass() => PerClass(State.Statistics());

    /// <summary>True for a metric that is one number by definition (the balanced error rate) and takes no average.</summary>
    protected virtual bool IsOneNumberMetric => false;

    protected abstract double Score(ClassStatistics stats, Average average);

    protected abstract double[] PerClass(ClassStatistics stats);

    public void Reset() => State.Reset();

    public void Dispose() => State.Dispose();
}
