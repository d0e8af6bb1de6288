using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// Crops a random region per sample (area fraction in <c>scale</c>, aspect ratio in <c>ratio</c>,
/// log-uniform, as <see cref="RandomResizedCrop"/>: an oversize region is clamped to the image rather
/// than redrawn) and resizes it to Height×Width: image bilinear, mask nearest, boxes scaled with it.
/// Unselected samples are resized whole.
/// </summary>
public sealed class PairedRandomResizedCrop : PairedGeometricAugmentation
{
    public PairedRandomResizedCrop(int height, int width, (double Min, double Max)? scale = null, (double Min, double Max)? ratio = null,
                                   double p = 1.0, long? seed = null, double minVisible = 0.25, int maskFill = 255)
        : base(p, seed, minVisible, maskFill)
    {
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"Output size must be positive; got {height}×{width}.");
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

    protected override (Tensor Forward, long OutHeight, long OutWidth) Draw(Generator g, long n, long height, long width, Device device)
    {
        var apply = Selected(g, n, device);
        var (x0, y0, cw, ch) = ResizedCropWindow.Draw((lo, hi) => Uniform(g, n, device, lo, hi), S, apply, height, width, Scale, Ratio);
        var sx = cw.reciprocal().mul_(S(Width));
        var sy = ch.reciprocal().mul_(S(Height));
        var zero = zeros_like(sx);
        return (Matrix(sx, zero, -x0 * sx, zero, sy, -y0 * sy), Height, Width);
    }
}
