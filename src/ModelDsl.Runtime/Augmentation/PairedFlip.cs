using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>Mirrors image, mask and boxes left↔right with probability p per sample (x ↦ W − x).</summary>
public sealed class PairedHorizontalFlip(double p = 0.5, long? seed = null, double minVisible = 0.25)
    : PairedGeometricAugmentation(p, seed, minVisible, maskFill: 255)
{
    protected override (Tensor Forward, long OutHeight, long OutWidth) Draw(Generator g, long n, long height, long width, Device device)
    {
        var flip = Selected(g, n, device);
        var one = ones(n, ScalarType.Float64, device);
        var zero = zeros(n, ScalarType.Float64, device);
        var a = where(flip, -one, one);
        var c = where(flip, full_like(zero, S(width)), zero);
        return (Matrix(a, zero, c, zero, one, zero), height, width);
    }
}

/// <summary>Mirrors image, mask and boxes top↔bottom with probability p per sample (y ↦ H − y).</summary>
public sealed class PairedVerticalFlip(double p = 0.5, long? seed = null, double minVisible = 0.25)
    : PairedGeometricAugmentation(p, seed, minVisible, maskFill: 255)
{
    protected override (Tensor Forward, long OutHeight, long OutWidth) Draw(Generator g, long n, long height, long width, Device device)
    {
        var flip = Selected(g, n, device);
        var one = ones(n, ScalarType.Float64, device);
        var zero = zeros(n, ScalarType.Float64, device);
        var e = where(flip, -one, one);
        var f = where(flip, full_like(zero, S(height)), zero);
        return (Matrix(one, zero, zero, zero, e, f), height, width);
    }
}
