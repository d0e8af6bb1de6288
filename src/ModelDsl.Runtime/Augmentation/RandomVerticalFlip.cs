using ModelDsl.Data;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// Mirrors each sample top↔bottom with probability p. In a dense pipeline the masks and boxes mirror with their images
/// (y ↦ H − y), by the same draw.
/// </summary>
public sealed class RandomVerticalFlip(double p = 0.5, long? seed = null) : RandomAugmentation(p, seed)
{
    public override bool MovesPixels => true;

    public override bool MovesTargets => true;

    protected override Tensor ApplyCore(Tensor x, Generator g) =>
        where(View4(Mask(g, x.shape[0], x.device)), x.flip(2), x);

    protected override DenseBatch ApplyWithTargets(DenseBatch batch) =>
        Drawn(batch.Images.device, g => Flips.Apply(batch, Mask(g, batch.Size, batch.Images.device), horizontal: false, S));
}
