using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>Applies augmentations in order; each intermediate batch is disposed as soon as the next exists.</summary>
public sealed class Compose(params IAugmentation[] steps) : IAugmentation
{
    public IReadOnlyList<IAugmentation> Steps { get; } = steps;

    public Tensor Apply(Tensor batch)
    {
        var current = batch;
        foreach (var step in Steps)
        {
            var next = step.Apply(current);
            if (!ReferenceEquals(current, batch)) current.Dispose();
            current = next;
        }
        return ReferenceEquals(current, batch) ? batch.alias() : current;
    }
}
