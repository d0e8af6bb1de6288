using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// torchvision's <c>RandomEqualize(p)</c>, per sample: the histogram of each channel of a chosen sample equalized as
/// torchvision equalizes the uint8 image (on the levels ⌊255·x⌋, back in [0, 1]); a channel torchvision leaves as it is
/// (all but one level empty, or too few pixels below the top level) keeps its values.
/// </summary>
public sealed class RandomEqualize(double p = 0.5, long? seed = null) : RandomAugmentation(p, seed)
{
    protected override Tensor ApplyCore(Tensor x, Generator g)
    {
        var mask = View4(Mask(g, x.shape[0], x.device));
        return where(mask, AugmentationOps.Equalize(x), x);
    }
}
