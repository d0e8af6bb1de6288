using ModelDsl.Data;

namespace ModelDsl.Augmentation;

/// <summary>
/// Applies paired augmentations in order (Kornia's <c>AugmentationSequential</c>); each intermediate batch is disposed once
/// the next exists. Its random state is its steps', so a dense loader's checkpoint resumes the whole pipeline.
/// </summary>
public sealed class PairedSequential(params IPairedAugmentation[] steps) : IPairedAugmentation, IRandomState
{
    public IReadOnlyList<IPairedAugmentation> Steps { get; } = steps;

    public DenseBatch Apply(DenseBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var current = batch;
        foreach (var step in Steps)
        {
            var next = step.Apply(current);
            if (!ReferenceEquals(current, batch)) current.Dispose();
            current = next;
        }
        return ReferenceEquals(current, batch)
            ? new DenseBatch(batch.Images.alias(), batch.Masks?.alias(), batch.Boxes?.alias(), batch.Classes?.alias())
            : current;
    }

    public byte[] SaveRandomState() => RandomStates.SaveParts(Steps.Cast<object>().ToList());

    public void LoadRandomState(byte[] state) => RandomStates.LoadParts(state, Steps.Cast<object>().ToList(), nameof(PairedSequential));
}
