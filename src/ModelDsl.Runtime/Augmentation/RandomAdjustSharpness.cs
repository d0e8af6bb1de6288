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
        long c = x.shape[1], h = x.shape[2], w = x.shape[3];
        if (h <= 2 || w <= 2) return x;
        var kernel = ones(3, 3, dtype: x.dtype, device: x.device);
        kernel[1, 1] = tensor(5f, x.dtype, x.device);
        kernel = (kernel / kernel.sum()).expand(c, 1, 3, 3);
        var smooth = x.clone();
        smooth[.., .., 1..^1, 1..^1] = nn.functional.conv2d(x, kernel, groups: c);
        var sharpened = (x.mul(S(SharpnessFactor)) + smooth.mul(S(1 - SharpnessFactor))).clamp(0, 1);
        return where(mask, sharpened, x);
    }
}
