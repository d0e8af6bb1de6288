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
        Average = average ?? (task == ClassificationTask.Binary ? Metrics.Average.Binary : Metrics.Average.Macro);
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

    /// <summary>The score reduced by <see cref="Average"/> (<see cref="Average.None"/> → macro mean).</summary>
    public double Compute() => Score(State.Statistics(), Average);

    /// <summary>One score per class (per label for Multilabel; classes 0 and 1 for Binary).</summary>
    public double[] ComputePerClass() => PerClass(State.Statistics());

    protected abstract double Score(ClassStatistics stats, Average average);

    protected abstract double[] PerClass(ClassStatistics stats);

    public void Reset() => State.Reset();

    public void Dispose() => State.Dispose();
}
