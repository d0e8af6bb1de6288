using TorchSharp;

namespace ModelDsl.Metrics;

/// <summary>
/// Segmentation pixel accuracy: N×C×H×W scores (logits or probabilities; argmax over C) against N×H×W
/// class-index targets (or N×H×W integer predictions). <see cref="Compute"/> = correct pixels / counted
/// pixels; <see cref="ComputePerClass"/> = per class, the share of its pixels predicted right (its recall;
/// NaN for a class with no pixels). Pixels whose target is <c>ignoreIndex</c> are skipped.
/// Built on the shared <see cref="ConfusionMatrixState"/> (one C×C scatter-add per batch).
/// </summary>
public sealed class PixelAccuracy : IMetric, IDisposable
{
    public PixelAccuracy(int numClasses, long? ignoreIndex = null)
    {
        State = new ConfusionMatrixState(Name, ClassificationTask.Multiclass, numClasses, ignoreIndex: ignoreIndex);
    }

    public string Name => "pixel_accuracy";
    public ConfusionMatrixState State { get; }

    public void Update(torch.Tensor predictions, torch.Tensor targets) => State.Update(predictions, targets);

    public double Compute() => State.Statistics().Accuracy();

    public double[] ComputePerClass()
    {
        var s = State.Statistics();
        return Enumerable.Range(0, s.NumClasses).Select(k => s.Support[k] == 0 ? double.NaN : (double)s.TruePositives[k] / s.Support[k]).ToArray();
    }

    public long[,] ComputeConfusionMatrix() => State.Counts();

    public void Reset() => State.Reset();

    public void Dispose() => State.Dispose();
}
