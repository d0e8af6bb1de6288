using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>Applies augmentations in order; each intermediate batch is disposed as soon as the next exists.</summary>
public sealed class Compose(params IAugmentation[] steps) : IAugmentation, IRandomState
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

    /// <summary>The random state of every step that has one, in order.</summary>
    public byte[] SaveRandomState() => RandomStates.SaveParts(Steps.Cast<object>().ToList());

    public void LoadRandomState(byte[] state) => RandomStates.LoadParts(state, Steps.Cast<object>().ToList(), nameof(Compose));
}
