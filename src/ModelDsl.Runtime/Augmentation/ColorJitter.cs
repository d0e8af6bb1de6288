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
        var y = x;
        if (Brightness > 0) y = (y * Factor(Brightness)).clamp_(0, 1);
        if (Contrast > 0)
        {
            var m = Gray(y).mean([1, 2, 3], keepdim: true);
            var f = Factor(Contrast);
            y = (y * f + m * (1 - f)).clamp_(0, 1);
        }
        bool rgb = x.shape[1] == 3;
        if (Saturation > 0 && rgb)
        {
            var f = Factor(Saturation);
            y = (y * f + Gray(y) * (1 - f)).clamp_(0, 1);
        }
        if (Hue > 0 && rgb)
        {
            var shift = View4(where(apply, Uniform(g, n, dev, -Hue, Hue), zeros(n, device: dev))).to_type(x.dtype);
            y = ShiftHue(y, shift);
        }
        return ReferenceEquals(y, x) ? x.clone() : y;
    }

    /// <summary>RGB → HSV, h += shift (mod 1), HSV → RGB, elementwise on the whole batch.</summary>
    internal static Tensor ShiftHue(Tensor x, Tensor shift)
    {
        var r = x.narrow(1, 0, 1);
        var gch = x.narrow(1, 1, 1);
        var b = x.narrow(1, 2, 1);
        var max = x.amax([1], keepdim: true);
        var min = x.amin([1], keepdim: true);
        var delta = max - min;
        var safe = where(delta > 0, delta, ones_like(delta));
        var hr = ((gch - b) / safe).remainder(6);
        var hg = (b - r) / safe + 2;
        var hb = (r - gch) / safe + 4;
        var h6 = where(max == r, hr, where(max == gch, hg, hb));
        h6 = where(delta > 0, h6, zeros_like(h6));
        var h = (h6 / 6 + shift).remainder(1);
        var s = where(max > 0, delta / where(max > 0, max, ones_like(max)), zeros_like(max));
        var v = max;
        // f(k) = v − v·s·clamp(min(k, 4 − k), 0, 1), k = (n + 6h) mod 6 with n = 5, 3, 1 for R, G, B.
        Tensor Channel(double nOff)
        {
            var k = (h * 6 + nOff).remainder(6);
            return v - v * s * minimum(k, 4 - k).clamp(0, 1);
        }
        return cat([Channel(5), Channel(3), Channel(1)], 1);
    }
}
