using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// Random rotation (±degrees), translation (± fraction of width/height) and scale about the image centre
/// per sample, same output size: p' = c + t + s·R(θ)·(p − c) in pixels. Image bilinear, mask nearest,
/// boxes = the bounding box of their 4 rotated corners, clipped, dropped below minVisible. Areas from
/// outside the input: image 0, mask <see cref="PairedGeometricAugmentation.MaskFill"/>.
/// </summary>
public sealed class PairedRandomAffine : PairedGeometricAugmentation
{
    public PairedRandomAffine(double degrees, (double X, double Y)? translate = null, (double Min, double Max)? scale = null,
                              double p = 1.0, long? seed = null, double minVisible = 0.25, int maskFill = 255)
        : base(p, seed, minVisible, maskFill)
    {
        Degrees = Math.Abs(degrees);
        Translate = translate ?? (0, 0);
        Scale = scale ?? (1, 1);
        if (Scale.Min <= 0 || Scale.Min > Scale.Max) throw new ArgumentOutOfRangeException(nameof(scale), Scale, "Scale must satisfy 0 < min ≤ max.");
        if (Translate.X < 0 || Translate.Y < 0) throw new ArgumentOutOfRangeException(nameof(translate), Translate, "Translation fractions must be ≥ 0.");
    }

    public double Degrees { get; }
    public (double X, double Y) Translate { get; }
    public (double Min, double Max) Scale { get; }

    protected override (Tensor Forward, long OutHeight, long OutWidth) Draw(Generator g, long n, long height, long width, Device device)
    {
        double h = height, w = width, cx = w / 2, cy = h / 2;
        var apply = Selected(g, n, device);
        var zero = zeros(n, ScalarType.Float64, device);
        var angle = where(apply, Uniform(g, n, device, -Degrees, Degrees) * S(Math.PI / 180), zero);
        var tx = where(apply, Uniform(g, n, device, -Translate.X, Translate.X) * S(w), zero);
        var ty = where(apply, Uniform(g, n, device, -Translate.Y, Translate.Y) * S(h), zero);
        var s = where(apply, Uniform(g, n, device, Scale.Min, Scale.Max), ones_like(zero));
        // Image rows grow downwards, so a positive angle turns clockwise on screen; the sign is a convention only.
        var a = s * angle.cos();
        var b = -s * angle.sin();
        var d = s * angle.sin();
        var e = s * angle.cos();
        // p' = M·(p − c) + c + t  ⇒  offset = c + t − M·c.
        var c0 = tx.add(S(cx), One).sub_((a * S(cx)).add_(b * S(cy), One));
        var f0 = ty.add(S(cy), One).sub_((d * S(cx)).add_(e * S(cy), One));
        return (Matrix(a, b, c0, d, e, f0), height, width);
    }
}
