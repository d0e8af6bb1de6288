using TorchSharp;

namespace ModelDsl.Metrics;

/// <summary>
/// A streaming metric whose result is not a single number (confusion matrix, ROC curves, a report).
/// Same life cycle as <see cref="IMetric"/>: <see cref="Update"/> per batch, <see cref="Compute"/> at the
/// end, <see cref="Reset"/> before the next pass.
/// </summary>
public interface IMetric<out TResult>
{
    string Name { get; }

    void Update(torch.Tensor predictions, torch.Tensor targets);

    TResult Compute();

    void Reset();
}
