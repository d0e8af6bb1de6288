using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// torchvision's <c>RandomAdjustSharpness(sharpness_factor, p)</c>, per sample: a blend of the image with its smoothed copy
/// (the 3×3 kernel [1 1 1; 1 5 1; 1 1 1]/13 inside, the border kept) — factor 0 the smoothed image, 1 the original, 2 twice
/// as sharp — clamped to [0, 1]. Images of 2 pixels or fewer on an axis are left as they are, as torchvision leaves them.
/// </summary>
public sealed class RandomAdjustSharpness : RandomAugmentation
{
    public RandomAdjustSharpness(double sharpnessFactor, double p = 0.5, long? seed = null) : base(p, seed)
    {
        if (!(sharpnessFactor >= 0) || double.IsInfinity(sharpnessFactor))
            throw new ArgumentOutOfRangeException(nameof(sharpnessFactor), sharpnessFactor, "RandomAdjustSharpness: the factor must be finite and ≥ 0.");
        SharpnessFactor = sharpnessFactor;
    }

    public double SharpnessFactor { get; }

    protected override Tensor ApplyCore(Tensor x, Generator g)
    {
        var mask = View4(Mask(g, x.shape[0], x.device));
        if (x.shape[2] <= 2 || x.shape[3] <= 2) return x;
        var sharpened = AugmentationOps.Sharpness(x, full(1, 1, 1, 1, S(SharpnessFactor), x.dtype, x.device));
        return where(mask, sharpened, x);
    }
}
