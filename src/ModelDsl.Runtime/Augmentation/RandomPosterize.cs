using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// torchvision's <c>RandomPosterize(bits, p)</c>, per sample, on images in [0, 1]: each value as its 8-bit level (⌊255·x⌋)
/// keeps only its top <see cref="Bits"/> bits, then returns to [0, 1] — torchvision's posterize of the uint8 image.
/// </summary>
public sealed class RandomPosterize : RandomAugmentation
{
    public RandomPosterize(int bits, double p = 0.5, long? seed = null) : base(p, seed)
    {
        if (bits is < 0 or > 8) throw new ArgumentOutOfRangeException(nameof(bits), bits, "RandomPosterize: bits are 0 to 8.");
        Bits = bits;
    }

    public int Bits { get; }

    protected override Tensor ApplyCore(Tensor x, Generator g)
    {
        var mask = View4(Mask(g, x.shape[0], x.device));
        var kept = AugmentationOps.Posterize(x, full(1, 1, 1, 1, S((double)Bits), x.dtype, x.device));
        return where(mask, kept, x);
    }
}
