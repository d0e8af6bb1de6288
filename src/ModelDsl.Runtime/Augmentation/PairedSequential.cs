using ModelDsl.Data;

namespace ModelDsl.Augmentation;

/// <summary>
/// Applies paired augmentations in order (Kornia's <c>AugmentationSequential</c>); each intermediate batch is disposed once
/// the next exists. Its random state is its steps', so a dense loader's checkpoint resumes the whole pipeline.
/// </summary>
public sealed class PairedSequential : IPairedAugmentation, IRandomState
{
    /// <param name="steps">The paired transforms, and any random image transform that can move masks and boxes or leaves them be (a colour change, a flip); one that moves pixels without them is refused here, naming the transform that can.</param>
    public PairedSequential(params IPairedAugmentation[] steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        foreach (var step in steps) PairedUse.Require(step, nameof(steps));
        Steps = steps;
    }

    public IReadOnlyList<IPairedAugmentation> Steps { get; }

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
