using TorchSharp;

namespace ModelDsl.Metrics;

/// <summary>
/// A segmentation metric defined per class from the pixel counts (tp, fp, fn) of one shared
/// <see cref="ConfusionMatrixState"/>: inputs N×C×H×W scores vs N×H×W targets, optional ignoreIndex.
/// <see cref="Compute"/> averages the classes whose value is defined (they occur in the targets or the
/// predictions); <see cref="ComputePerClass"/> gives NaN for the others.
/// </summary>
public abstract class PerClassSegmentationMetric : IMetric, IDisposable
{
    protected PerClassSegmentationMetric(string name, int numClasses, long? ignoreIndex)
    {
        Name = name;
        State = new ConfusionMatrixState(name, ClassificationTask.Multiclass, numClasses, ignoreIndex: ignoreIndex);
    }

    public string Name { get; }
    public ConfusionMatrixState State { get; }

    public void Update(torch.Tensor predictions, torch.Tensor targets) => State.Update(predictions, targets);

    public double Compute()
    {
        var present = ComputePerClass().Where(v => !double.IsNaN(v)).ToArray();
        return present.Length == 0 ? 0.0 : present.Average();
    }

    public double[] ComputePerClass()
    {
        var s = State.Statistics();
        return Enumerable.Range(0, s.NumClasses).Select(k => Value(s.TruePositives[k], s.FalsePositives[k], s.FalseNegatives[k])).ToArray();
    }

    /// <summary>The class's value from its pixel counts; NaN when it is undefined (the class never occurs).</summary>
    protected abstract double Value(long truePositives, long falsePositives, long falseNegatives);

    public void Reset() => State.Reset();

    public void Dispose() => State.Dispose();
}
