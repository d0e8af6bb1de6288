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
    /// <summary>It moves pixels; masks and boxes cannot follow it (see <see cref="RandomAugmentation"/>'s remarks).</summary>
    public override bool MovesPixels => true;

    protected override string? PairedAlternative => nameof(PairedRandomResizedCrop);

    public RandomResizedCrop(int height, int width, (double Min, double Max)? scale = null, (double Min, double Max)? ratio = null, double p = 1.0, long? seed = null)
        : base(p, seed)
    {
        Height = height;
        Width = width;
        Scale = scale ?? (0.08, 1.0);
        Ratio = ratio ?? (3.0 / 4.0, 4.0 / 3.0);
        ResizedCropWindow.Validate(Scale, Ratio);
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
        var (x0, y0, cw, ch) = ResizedCropWindow.Draw((lo, hi) => Uniform(g, n, dev, lo, hi), S, apply, h, w, Scale, Ratio);
        var zero = zeros_like(cw);
        // tx = (x0 + cw/2)·(2/w) − 1, ty likewise, written without TorchSharp's temporary Scalars (KeptScalars).
        var tx = x0.add(cw * C(0.5), One).mul_(S(2 / w)).sub_(C(1));
        var ty = y0.add(ch * C(0.5), One).mul_(S(2 / h)).sub_(C(1));
        var theta = AffineSampling.Theta(cw / S(w), zero, tx, zero, ch / S(h), ty);
        return AffineSampling.Sample(x, theta, Height, Width);
    }
}
