using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// Cuts a Height×Width window at a random whole-pixel offset per sample, from the image padded by
/// <c>padding</c> on every side (padding: image 0, mask <see cref="PairedGeometricAugmentation.MaskFill"/>).
/// Unselected samples (probability 1 − p) get the centre window. Boxes are shifted, clipped to the window
/// and dropped when less than minVisible of them stays inside.
/// </summary>
public sealed class PairedRandomCrop : PairedGeometricAugmentation
{
    public PairedRandomCrop(int height, int width, int padding = 0, double p = 1.0, long? seed = null, double minVisible = 0.25, int maskFill = 255)
        : base(p, seed, minVisible, maskFill)
    {
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"Crop size must be positive; got {height}×{width}.");
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, "Padding must be ≥ 0.");
        Height = height;
        Width = width;
        Padding = padding;
    }

    public int Height { get; }
    public int Width { get; }
    public int Padding { get; }

    protected override (Tensor Forward, long OutHeight, long OutWidth) Draw(Generator g, long n, long height, long width, Device device)
    {
        long rangeY = height + 2L * Padding - Height, rangeX = width + 2L * Padding - Width;
        if (rangeY < 0 || rangeX < 0)
            throw new ArgumentException($"PairedRandomCrop {Height}×{Width} does not fit in an image of {height}×{width} padded by {Padding}.");
        var apply = Selected(g, n, device);
        // Offsets uniform over the whole-pixel positions −padding .. range − padding (floor(u·(range+1)), clamped for u → 1).
        var oy = Uniform(g, n, device, 0, 1).mul_(S(rangeY + 1)).floor_().clamp_(S(0), S(rangeY)).sub_(S(Padding));
        var ox = Uniform(g, n, device, 0, 1).mul_(S(rangeX + 1)).floor_().clamp_(S(0), S(rangeX)).sub_(S(Padding));
        oy = where(apply, oy, full_like(oy, S((height - Height) / 2)));
        ox = where(apply, ox, full_like(ox, S((width - Width) / 2)));
        var one = ones_like(ox);
        var zero = zeros_like(ox);
        return (Matrix(one, zero, -ox, zero, one, -oy), Height, Width);
    }
}
