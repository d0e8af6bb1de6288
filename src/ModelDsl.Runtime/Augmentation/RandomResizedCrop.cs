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
        var (x0, y0, cw, ch) = ResizedCropWindow.Draw((lo, hi) => Uniform(g, n, dev, lo, hi), apply, h, w, Scale, Ratio);
        var zero = zeros_like(cw);
        var theta = AffineSampling.Theta(cw / w, zero, (x0 + cw / 2) * (2 / w) - 1, zero, ch / h, (y0 + ch / 2) * (2 / h) - 1);
        return AffineSampling.Sample(x, theta, Height, Width);
    }
}
