using ModelDsl.Data;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// Mirrors each sample left↔right with probability p: one flip of the batch and a per-sample select. In a dense pipeline the
/// masks and boxes mirror with their images (x ↦ W − x), by the same draw.
/// </summary>
public sealed class RandomHorizontalFlip(double p = 0.5, long? seed = null) : RandomAugmentation(p, seed)
{
    public override bool MovesPixels => true;

    public override bool MovesTargets => true;

    protected override Tensor ApplyCore(Tensor x, Generator g) =>
        where(View4(Mask(g, x.shape[0], x.device)), x.flip(3), x);

    protected override DenseBatch ApplyWithTargets(DenseBatch batch) =>
        Drawn(batch.Images.device, g => Flips.Apply(batch, Mask(g, batch.Size, batch.Images.device), horizontal: true, S));
}
