using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// Crops a random region (area fraction in <c>scale</c>, aspect ratio in <c>ratio</c>, log-uniform) of each
/// sample and resizes it to Height×Width — all samples at once through one affine_grid + grid_sample.
/// Unlike torchvision (which retries up to 10 times per image), an oversize box is clamped to the image,
/// which keeps the draw a fixed number of batched random tensors. Unselected samples are resized whole.
/// </summary>
public sealed class RandomResizedCrop : RandomAugmentation
{
    public RandomResizedCrop(int height, int width, (double Min, double Max)? scale = null, (double Min, double Max)? ratio = null, double p = 1.0, long? seed = null)
        : base(p, seed)
    {
        Height = height;
        Width = width;
        Scale = scale ?? (0.08, 1.0);
        Ratio = ratio ?? (3.0 / 4.0, 4.0 / 3.0);
        if (Scale.Min <= 0 || Scale.Max > 1 || Scale.Min > Scale.Max) throw new ArgumentOutOfRangeException(nameof(scale), Scale, "Scale must satisfy 0 < min ≤ max ≤ 1.");
        if (Ratio.Min <= 0 || Ratio.Min > Ratio.Max) throw new ArgumentOutOfRangeException(nameof(ratio), Ratio, "Ratio must satisfy 0 < min ≤ max.");
    }

    public int Height { get; }
    public int Width { get; }
    public (double Min, double Max) Scale { get; }
    public (double Min, double Max) Ratio { get; }

    protected override Tensor ApplyCore(Tensor x, Generator g)
    {
        long n = x.shape[0];
        double h = x.shape[2], w = x.shape[3];
        var dev = x.device;
        var apply = Mask(g, n, dev);
        var area = Uniform(g, n, dev, Scale.Min, Scale.Max) * (h * w);
        var r = Uniform(g, n, dev, Math.Log(Ratio.Min), Math.Log(Ratio.Max)).exp_();
        var cw = (area * r).sqrt_().clamp_(1, w);
        var ch = (area / r).sqrt_().clamp_(1, h);
        cw = where(apply, cw, full_like(cw, w));
        ch = where(apply, ch, full_like(ch, h));
        var x0 = Uniform(g, n, dev, 0, 1) * (w - cw);
        var y0 = Uniform(g, n, dev, 0, 1) * (h - ch);
        var zero = zeros_like(cw);
        var theta = AffineSampling.Theta(cw / w, zero, (x0 + cw / 2) * (2 / w) - 1, zero, ch / h, (y0 + ch / 2) * (2 / h) - 1);
        return AffineSampling.Sample(x, theta, Height, Width);
    }
}
