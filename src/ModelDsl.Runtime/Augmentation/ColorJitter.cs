using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// Random brightness, contrast, saturation (factors in [max(0, 1−v), 1+v]) and hue shift (in [−hue, hue]
/// of a full turn, hue ≤ 0.5) per sample, as torchvision's ColorJitter but batched. Applied in a fixed
/// order (brightness, contrast, saturation, hue) rather than torchvision's random order per image, which
/// would need per-sample branching. Saturation and hue need 3 channels and are skipped otherwise.
/// </summary>
public sealed class ColorJitter : RandomAugmentation
{
    public ColorJitter(double brightness = 0, double contrast = 0, double saturation = 0, double hue = 0, double p = 1.0, long? seed = null)
        : base(p, seed)
    {
        if (brightness < 0 || contrast < 0 || saturation < 0) throw new ArgumentOutOfRangeException(nameof(brightness), "Jitter amounts must be ≥ 0.");
        if (hue is < 0 or > 0.5) throw new ArgumentOutOfRangeException(nameof(hue), hue, "Hue jitter must be in [0, 0.5].");
        Brightness = brightness;
        Contrast = contrast;
        Saturation = saturation;
        Hue = hue;
    }

    public double Brightness { get; }
    public double Contrast { get; }
    public double Saturation { get; }
    public double Hue { get; }

    protected override Tensor ApplyCore(Tensor x, Generator g)
    {
        long n = x.shape[0];
        var dev = x.device;
        var apply = Mask(g, n, dev);
        Tensor Factor(double v)
        {
            var f = Uniform(g, n, dev, Math.Max(0, 1 - v), 1 + v);
            return View4(where(apply, f, ones_like(f))).to_type(x.dtype);
        }
        bool rgb = x.shape[1] == 3;
        // The first step allocates the output; the rest work in place on it (every full-size temporary
        // costs an allocation and page faults, which dominate at CIFAR sizes).
        var y = Brightness > 0 ? (x * Factor(Brightness)).clamp_(C(0), C(1)) : x.clone();
        if (Contrast > 0)
        {
            // Mean of the luma per sample = luma of the per-channel means (linearity): no N×1×H×W temporary.
            var means = y.mean([2, 3], keepdim: true);
            var m = rgb ? (means * LumaWeights(x)).sum(1, keepdim: true) : means.mean([1], keepdim: true);
            var f = Factor(Contrast);
            y.mul_(f).add_(m * OneMinus(f), One).clamp_(C(0), C(1));
        }
        if (Saturation > 0 && rgb)
        {
            var f = Factor(Saturation);
            var gray = (y * LumaWeights(x)).sum(1, keepdim: true);
            y.mul_(f).add_(gray.mul_(OneMinus(f)), One).clamp_(C(0), C(1));
        }
        if (Hue > 0 && rgb)
        {
            var shift = View4(where(apply, Uniform(g, n, dev, -Hue, Hue), zeros(n, device: dev))).to_type(x.dtype);
            y = ShiftHue(y, shift);
        }
        return y;
    }

    private static Tensor LumaWeights(Tensor like) =>
        tensor(new[] { 0.299f, 0.587f, 0.114f }, [1, 3, 1, 1]).to(like.dtype, like.device);

    /// <summary>
    /// HSV hue shift of an RGB batch by <paramref name="shift"/> (fraction of a turn, N×1×1×1), exactly as
    /// RGB → HSV, h += shift, HSV → RGB, but in fewer full-size operations: a hue shift keeps V = max and
    /// V·S = max − min, so each output channel is max − (max − min)·clamp(min(k, 4 − k), 0, 1) with
    /// k = (n_c + 6h) mod 6, n = (5, 3, 1) for (R, G, B) — all three channels in one broadcast.
    /// </summary>
    public static Tensor ShiftHue(Tensor x, Tensor shift)
    {
        var max = x.amax([1], keepdim: true);
        var delta = max - x.amin([1], keepdim: true);
        // Candidate 6h for each "which channel is max" case: (g − b)/Δ, (b − r)/Δ + 2, (r − g)/Δ + 4;
        // the channel holding the max picks one, R before G before B on ties (as colorsys). Selected with
        // comparisons and where: libtorch's argmax/max-with-indices over dim 1 of NCHW is ~100× slower.
        var next = index_select(x, 1, tensor(new long[] { 1, 2, 0 }, device: x.device));
        var prev = index_select(x, 1, tensor(new long[] { 2, 0, 1 }, device: x.device));
        var offsets = tensor(new[] { 0f, 2f, 4f }, [1, 3, 1, 1]).to(x.dtype, x.device);
        var cand = (next - prev).div_(delta.clamp_min(C(1e-12))).add_(offsets, One);     // Δ = 0 ⇒ output = max whatever h is
        var h6 = where(x.narrow(1, 0, 1) == max, cand.narrow(1, 0, 1),
                       where(x.narrow(1, 1, 1) == max, cand.narrow(1, 1, 1), cand.narrow(1, 2, 1)))
                 .add_(shift * C(6), One);                                              // N×1×H×W, any real; wrapped below
        var k = h6.add(tensor(new[] { 5f, 3f, 1f }, [1, 3, 1, 1]).to(x.dtype, x.device), One).remainder_(C(6));
        var t = minimum(k, k.neg().add_(C(4), One)).clamp_(C(0), C(1));
        return max - t.mul_(delta);
    }
}
