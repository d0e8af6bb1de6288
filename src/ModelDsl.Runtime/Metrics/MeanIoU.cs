using TorchSharp;

namespace ModelDsl.Metrics;

/// <summary>
/// Segmentation mean intersection-over-union (Jaccard): per class IoU = tp / (tp + fp + fn) over all pixels
/// seen; <see cref="Compute"/> averages the classes that occur in the targets or the predictions
/// (tp + fp + fn &gt; 0), <see cref="ComputePerClass"/> gives NaN for the others. Inputs as
/// <see cref="PixelAccuracy"/>: N×C×H×W scores vs N×H×W targets, optional ignoreIndex.
/// </summary>
public sealed class MeanIoU : IMetric, IDisposable
{
    public MeanIoU(int numClasses, long? ignoreIndex = null)
    {
        State = new ConfusionMatrixState(Name, ClassificationTask.Multiclass, numClasses, ignoreIndex: ignoreIndex);
    }

    public string Name => "mean_iou";
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
            long d = s.TruePositives[k] + s.FalsePositives[k] + s.FalseNegatives[k];
            return d == 0 ? double.NaN : (double)s.TruePositives[k] / d;
        }).ToArray();
    }

    public void Reset() => State.Reset();

    public void Dispose() => State.Dispose();
}
