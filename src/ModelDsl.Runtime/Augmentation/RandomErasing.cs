using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// Sets a random rectangle (area fraction in <c>scale</c>, aspect ratio in <c>ratio</c>) of each sample
/// to <c>value</c> with probability p (Zhong et al., torchvision's RandomErasing). The rectangles of the
/// whole batch are one boolean mask built from row and column ranges; a box larger than the image is
/// clamped instead of retried.
/// </summary>
public sealed class RandomErasing : RandomAugmentation
{
    public RandomErasing(double p = 0.5, (double Min, double Max)? scale = null, (double Min, double Max)? ratio = null, double value = 0, long? seed = null)
        : base(p, seed)
    {
        Scale = scale ?? (0.02, 0.33);
        Ratio = ratio ?? (0.3, 3.3);
        Value = value;
    }

    public (double Min, double Max) Scale { get; }
    public (double Min, double Max) Ratio { get; }
    public double Value { get; }

    protected override Tensor ApplyCore(Tensor x, Generator g)
    {
        long n = x.shape[0], h = x.shape[2], w = x.shape[3];
        var dev = x.device;
        var apply = Mask(g, n, dev);
        var area = Uniform(g, n, dev, Scale.Min, Scale.Max) * S(h * w);
        var r = Uniform(g, n, dev, Math.Log(Ratio.Min), Math.Log(Ratio.Max)).exp_();
        var eh = (area * r).sqrt_().round_().clamp_(C(1), S(h));
        var ew = (area / r).sqrt_().round_().clamp_(C(1), S(w));
        var y0 = (Uniform(g, n, dev, 0, 1) * eh.neg().add_(S(h + 1), One)).floor_();
        var x0 = (Uniform(g, n, dev, 0, 1) * ew.neg().add_(S(w + 1), One)).floor_();
        var rows = arange(h, dtype: ScalarType.Float32, device: dev).view(1, h);
        var cols = arange(w, dtype: ScalarType.Float32, device: dev).view(1, w);
        var rm = (rows >= y0.view(n, 1)) & (rows < y0.add(eh, One).view(n, 1));   // N×H
        var cm = (cols >= x0.view(n, 1)) & (cols < x0.add(ew, One).view(n, 1));   // N×W
        var mask = rm.view(n, 1, h, 1) & cm.view(n, 1, 1, w) & View4(apply);
        return x.masked_fill(mask, S(Value));
    }
}
