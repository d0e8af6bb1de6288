using ModelDsl.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// torchvision's image operations (<c>_apply_op</c> of <c>transforms/autoaugment.py</c> and the functions it calls), on float
/// batches in [0, 1] with one magnitude per sample, shared by AutoAugment, RandAugment, TrivialAugmentWide, AugMix and the
/// single transforms that do the same thing (RandomPosterize, RandomSolarize, RandomAutocontrast, RandomAdjustSharpness,
/// RandomEqualize).
/// </summary>
/// <remarks>
/// Magnitudes are in torchvision's units for a uint8 image, as its policies draw them: shear as the tangent, translation
/// in pixels (truncated to an integer as <c>int(magnitude)</c>), rotation in degrees (counter-clockwise), the enhance
/// factors as factor − 1, posterize as kept bits (truncated), solarize as a threshold in 0 … 255 (compared with x·255, so
/// on floats it is torchvision's <c>solarize(img, threshold / 255)</c>). Float semantics otherwise, as torchvision's ops on
/// float tensors; posterize and equalize work on the 8-bit levels ⌊255·x⌋, as torchvision only defines them on uint8.
/// Everything runs inside the caller's dispose scope.
/// </remarks>
internal static class AugmentationOps
{
    private static Scalar C(double literal) => KeptScalars.Constant(literal);
    private static Scalar C(long literal) => KeptScalars.Constant(literal);
    private static Scalar One => KeptScalars.One;
    private static Tensor OneMinus(Tensor t) => t.neg().add_(C(1), One);
    private static Tensor View4(Tensor perSample) => perSample.reshape(-1, 1, 1, 1);

    /// <summary>
    /// Each sample through its own op: <paramref name="opIndex"/> (N, int64) indexes <paramref name="ops"/>, and the value
    /// <c>ops.Count</c> means "left as it is". One pass per op over the samples that chose it (gathered with index_select,
    /// put back with index_copy), and one transfer of the op counts to the CPU for the whole batch.
    /// </summary>
    public static Tensor ApplyEach(Tensor x, Tensor opIndex, Tensor magnitude, IReadOnlyList<AugmentOp> ops, GridSampleMode interpolation)
    {
        var counts = opIndex.bincount(null, ops.Count + 1).cpu().data<long>().ToArray();
        var order = opIndex.argsort();                  // the samples grouped by op, in the order of ops
        Tensor? y = null;
        long start = 0;
        for (int k = 0; k < ops.Count; k++)
        {
            long count = counts[k];
            if (count > 0 && ops[k] != AugmentOp.Identity)
            {
                var which = order.narrow(0, start, count);
                var part = Apply(x.index_select(0, which), ops[k], magnitude.index_select(0, which), interpolation);
                (y ??= x.clone()).index_copy_(0, which, part.to_type(x.dtype));
            }
            start += count;
        }
        return y ?? x;
    }

    /// <summary><paramref name="op"/> on every sample of <paramref name="x"/>, with its own magnitude (N), as torchvision's <c>_apply_op</c>.</summary>
    public static Tensor Apply(Tensor x, AugmentOp op, Tensor magnitude, GridSampleMode interpolation)
    {
        using var kept = new KeptScalars();
        long n = x.shape[0], h = x.shape[2], w = x.shape[3];
        // In double, as torchvision computes its affine matrix in Python floats before casting it to the image's dtype.
        var m = magnitude.to(ScalarType.Float64, x.device).reshape(n);
        var zero = zeros_like(m);
        var one = ones_like(m);
        Tensor Factor() => View4(m.add(C(1), One)).to_type(x.dtype);
        switch (op)
        {
            case AugmentOp.Identity:
                return x;
            case AugmentOp.ShearX:
            {
                // F.affine(shear = [atan(m) in degrees, 0], center = [0, 0]): the inverse map about the top-left corner is
                // x_in = x + tan(atan m)·y + tan(atan m)·h/2 in centred pixel coordinates.
                var s = m.atan().tan();
                return Affine(x, [one, s, s.mul(kept.Of(h / 2.0)), zero, one, zero], interpolation);
            }
            case AugmentOp.ShearY:
            {
                var s = m.atan().tan();
                return Affine(x, [one, zero, zero, s, one, s.mul(kept.Of(w / 2.0))], interpolation);
            }
            case AugmentOp.TranslateX:
                return Affine(x, [one, zero, m.trunc().neg(), zero, one, zero], interpolation);
            case AugmentOp.TranslateY:
                return Affine(x, [one, zero, zero, zero, one, m.trunc().neg()], interpolation);
            case AugmentOp.Rotate:
            {
                // F.rotate(angle = m) about the centre: the inverse map is the rotation by −m, [cos m, −sin m; sin m, cos m].
                var rad = m.mul(C(Math.PI / 180));
                var (cos, sin) = (rad.cos(), rad.sin());
                return Affine(x, [cos, sin.neg(), zero, sin, cos, zero], interpolation);
            }
            case AugmentOp.Brightness:
                return x.mul(Factor()).clamp_(C(0), C(1));      // the blend with black: f·x + (1 − f)·0
            case AugmentOp.Color:
                return x.shape[1] == 3 ? Blend(x, Grayscale(x), Factor()) : x;   // torchvision leaves a gray image as it is
            case AugmentOp.Contrast:
            {
                var mean = (x.shape[1] == 3 ? Grayscale(x) : x).mean([1, 2, 3], keepdim: true);
                return Blend(x, mean, Factor());
            }
            case AugmentOp.Sharpness:
                return Sharpness(x, Factor());
            case AugmentOp.Posterize:
                return Posterize(x, View4(m.trunc()).to_type(x.dtype));
            case AugmentOp.Solarize:
                return Solarize(x, View4(m.div(C(255))).to_type(x.dtype));
            case AugmentOp.AutoContrast:
                return AutoContrast(x);
            case AugmentOp.Equalize:
                return Equalize(x);
            case AugmentOp.Invert:
                return OneMinus(x);
            default:
                throw new ArgumentOutOfRangeException(nameof(op), op, "AugmentationOps: no such operation.");
        }
    }

    /// <summary>
    /// torchvision's tensor affine resampling with a per-sample inverse matrix (six N-vectors, output → input, in pixel
    /// coordinates centred on the image): its <c>_gen_affine_grid</c> (pixel centres times θᵀ, over w/2 and h/2) and
    /// <c>grid_sample</c> with zeros outside (fill = None), align_corners = false.
    /// </summary>
    internal static Tensor Affine(Tensor x, Tensor[] inverse, GridSampleMode interpolation)
    {
        long n = x.shape[0], h = x.shape[2], w = x.shape[3];
        var theta = stack(inverse, 1).to_type(x.dtype).view(n, 2, 3);
        var half = tensor(new[] { 0.5 * w, 0.5 * h }).to(x.dtype, x.device);
        var grid = AffineSampling.PixelCentres(h, w, -0.5 * w + 0.5, -0.5 * h + 0.5, x.dtype, x.device)
            .matmul(theta.transpose(1, 2).div(half))
            .view(n, h, w, 2);
        return nn.functional.grid_sample(x, grid, interpolation, GridSamplePaddingMode.Zeros, align_corners: false);
    }

    /// <summary>torchvision's <c>_blend</c>: ratio·a + (1 − ratio)·b, clamped to [0, 1]; the ratio per sample (N×1×1×1).</summary>
    internal static Tensor Blend(Tensor a, Tensor b, Tensor ratio) =>
        a.mul(ratio).add_(b.mul(OneMinus(ratio)), One).clamp_(C(0), C(1));

    /// <summary>
    /// torchvision's <c>rgb_to_grayscale</c> (N×1×H×W), used by its saturation and contrast: weights 0.2989, 0.587, 0.114
    /// (not the 0.299 of <see cref="RandomAugmentation.Gray"/>, so these ops give torchvision's pixels).
    /// </summary>
    internal static Tensor Grayscale(Tensor x) =>
        x.narrow(1, 0, 1).mul(C(0.2989)).add_(x.narrow(1, 1, 1).mul(C(0.587)), One).add_(x.narrow(1, 2, 1).mul(C(0.114)), One);

    /// <summary>
    /// torchvision's <c>adjust_sharpness</c>: the blend of the image with its smoothed copy (the 3×3 kernel
    /// [1 1 1; 1 5 1; 1 1 1]/13 inside, the border kept) by <paramref name="factor"/> (N×1×1×1); images of 2 pixels or
    /// fewer on an axis are left as they are.
    /// </summary>
    internal static Tensor Sharpness(Tensor x, Tensor factor)
    {
        long c = x.shape[1], h = x.shape[2], w = x.shape[3];
        if (h <= 2 || w <= 2) return x;
        var kernel = ones(3, 3, dtype: x.dtype, device: x.device);
        kernel[1, 1] = tensor(5f, x.dtype, x.device);
        kernel = kernel.div(kernel.sum()).expand(c, 1, 3, 3);
        var smooth = x.clone();
        smooth[.., .., 1..^1, 1..^1] = nn.functional.conv2d(x, kernel, groups: c);
        return Blend(x, smooth, factor);
    }

    /// <summary>
    /// torchvision's <c>posterize</c> of the 8-bit image: each level ⌊255·x⌋ keeps its top <paramref name="bits"/> bits
    /// (a tensor that broadcasts over N×C×H×W, 0 … 8), back in [0, 1].
    /// </summary>
    internal static Tensor Posterize(Tensor x, Tensor bits)
    {
        var levels = x.mul(C(255)).floor_().clamp_(C(0), C(255));
        var step = bits.neg().add(C(8), One).exp2();          // the kept levels are multiples of 2^(8 − bits)
        return levels.div(step).floor_().mul_(step).div_(C(255)).to_type(x.dtype);
    }

    /// <summary>torchvision's <c>solarize</c> on floats: 1 − x where x ≥ <paramref name="threshold"/> (broadcasting over N×C×H×W).</summary>
    internal static Tensor Solarize(Tensor x, Tensor threshold) => where(x.ge(threshold), OneMinus(x), x);

    /// <summary>
    /// torchvision's <c>autocontrast</c>: each channel of each sample stretched so its darkest value becomes 0 and its
    /// brightest 1; a constant channel is left as it is (scale 1, offset 0, as torchvision where max = min).
    /// </summary>
    internal static Tensor AutoContrast(Tensor x)
    {
        var lo = x.amin([2, 3], keepdim: true);
        var hi = x.amax([2, 3], keepdim: true);
        var flat = hi.eq(lo);
        var scale = where(flat, ones_like(hi), hi.sub(lo).reciprocal_());
        var offset = where(flat, zeros_like(lo), lo);
        return x.sub(offset).mul_(scale).clamp_(C(0), C(1));
    }

    /// <summary>
    /// torchvision's <c>equalize</c> of the 8-bit image (its <c>_scale_channel</c>), every channel of every sample at once:
    /// histograms N×C×256 by scatter_add over the levels ⌊255·x⌋; step = ⌊(pixels − count of the last non-zero bin)/255⌋;
    /// lut = ⌊(cumsum + ⌊step/2⌋)/step⌋ shifted right by one, clamped to 0 … 255; a channel with step 0 is left as it is.
    /// All in int64, so the floors are exact.
    /// </summary>
    internal static Tensor Equalize(Tensor x)
    {
        using var kept = new KeptScalars();
        long n = x.shape[0], c = x.shape[1], pixels = x.shape[2] * x.shape[3];
        var levels = x.mul(C(255)).floor_().clamp_(C(0), C(255)).to_type(ScalarType.Int64).view(n, c, pixels);
        var hist = zeros([n, c, 256], ScalarType.Int64, x.device).scatter_add_(2, levels, ones_like(levels));
        var lastBin = hist.gather(2, levels.amax([2], keepdim: true));                  // N×C×1: the count at the top level
        var step = lastBin.neg().add_(kept.Of(pixels), One).div(C(255L), RoundingMode.floor);
        var lut = hist.cumsum(2).add_(step.div(C(2L), RoundingMode.floor), One).div(step.clamp_min(C(1L)), RoundingMode.floor);
        lut = cat([zeros([n, c, 1], ScalarType.Int64, x.device), lut.narrow(2, 0, 255)], 2).clamp_(C(0L), C(255L));
        var equalized = lut.gather(2, levels).to_type(x.dtype).div_(C(255)).view_as(x);
        return where(step.eq(C(0L)).view(n, c, 1, 1), x, equalized);
    }
}
