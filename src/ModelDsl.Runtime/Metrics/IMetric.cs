using TorchSharp;

namespace ModelDsl.Metrics;

/// <summary>
/// A streaming metric, torchmetrics-style: <see cref="Update"/> once per batch (state stays on the
/// batch's device), <see cref="Compute"/> at the end of an epoch, <see cref="Reset"/> before the next.
/// </summary>
public interface IMetric
{
    /// <summary>Column name in the epoch table, e.g. "accuracy".</summary>
    string Name { get; }

    /// <summary>Accumulates one batch: <paramref name="predictions"/> are the model's raw outputs (logits or probabilities), <paramref name="targets"/> the labels.</summary>
    void Update(torch.Tensor predictions, torch.Tensor targets);

    /// <summary>The metric over everything seen since the last <see cref="Reset"/>.</summary>
    double Compute();

    void Reset();
}
