using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// torchvision's <c>RandomAutocontrast(p)</c>, per sample: each channel of a chosen sample stretched so its darkest value
/// becomes 0 and its brightest 1 (a constant channel is left as it is), images in [0, 1].
/// </summary>
public sealed class RandomAutocontrast(double p = 0.5, long? seed = null) : RandomAugmentation(p, seed)
{
    protected override Tensor ApplyCore(Tensor x, Generator g)
    {
        var mask = View4(Mask(g, x.shape[0], x.device));
        return where(mask, AugmentationOps.AutoContrast(x), x);
    }
}
