using TorchSharp;

namespace ModelDsl.Metrics;

/// <summary>
/// Segmentation Dice (F1 over pixels): per class 2·tp / (2·tp + fp + fn) over all pixels seen; <see cref="Compute"/>
/// averages the classes that occur in the targets or the predictions, <see cref="ComputePerClass"/> gives NaN for
/// the others (as <see cref="MeanIoU"/>). Inputs as <see cref="PixelAccuracy"/>: N×C×H×W scores vs N×H×W targets,
/// optional ignoreIndex. For a loss to train with, see <see cref="Training.Loss.Dice"/>.
/// </summary>
public sealed class DiceScore : IMetric, IDisposable
{
    public DiceScore(int numClasses, long? ignoreIndex = null)
    {
        State = new ConfusionMatrixState(Name, ClassificationTask.Multiclass, numClasses, ignoreIndex: ignoreIndex);
    }

    public string Name => "dice";
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
        return Enumerable.Range(0, s.NumClasses).Select(k =>
        {
            long d = 2 * s.TruePositives[k] + s.FalsePositives[k] + s.FalseNegatives[k];
            return d == 0 ? double.NaN : 2.0 * s.TruePositives[k] / d;
        }).ToArray();
    }

    public void Reset() => State.Reset();

    public void Dispose() => State.Dispose();
}
