using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// Random rotation (±degrees), translation (± fraction of width/height), scale and shear (±degrees)
/// about the image centre, per sample; the whole batch is resampled with one affine_grid + grid_sample
/// (bilinear; outside pixels are 0 or the border, see <c>padding</c>).
/// </summary>
/// <remarks>
/// The forward map in centred pixel coordinates is p' = s·R(θ)·Sh(φ)·p + t. grid_sample needs the
/// inverse (output → input) in normalised coordinates, so per sample we use the closed-form inverse
/// (det = s²): L⁻¹ = (1/s)·[[cosθ + sinθ·tanφ, sinθ − cosθ·tanφ], [−sinθ, cosθ]], conjugated by
/// D = diag(W/2, H/2) so that non-square images rotate without distortion.
/// </remarks>
public class RandomAffine : RandomAugmentation
{
    /// <summary>It moves pixels; masks and boxes cannot follow it (see <see cref="RandomAugmentation"/>'s remarks).</summary>
    public override bool MovesPixels => true;

    protected override string? PairedAlternative => nameof(PairedRandomAffine);

    public RandomAffine(double degrees, (double X, double Y)? translate = null, (double Min, double Max)? scale = null, double shear = 0,
                        GridSamplePaddingMode padding = GridSamplePaddingMode.Zeros, double p = 1.0, long? seed = null)
        : base(p, seed)
    {
        Degrees = Math.Abs(degrees);
        Translate = translate ?? (0, 0);
        Scale = scale ?? (1, 1);
        Shear = Math.Abs(shear);
        PaddingMode = padding;
        if (Scale.Min <= 0 || Scale.Min > Scale.Max) throw new ArgumentOutOfRangeException(nameof(scale), Scale, "Scale must satisfy 0 < min ≤ max.");
    }

    public double Degrees { get; }
    public (double X, double Y) Translate { get; }
    public (double Min, double Max) Scale { get; }
    public double Shear { get; }
    public GridSamplePaddingMode PaddingMode { get; }

    protected override Tensor ApplyCore(Tensor x, Generator g)
    {
        long n = x.shape[0];
        double h = x.shape[2], w = x.shape[3];
        var dev = x.device;
        var apply = Mask(g, n, dev);
        var zero = zeros(n, device: dev);
        var one = ones(n, device: dev);
        var angle = where(apply, Uniform(g, n, dev, -Degrees, Degrees) * S(Math.PI / 180), zero);
        var tx = where(apply, Uniform(g, n, dev, -Translate.X, Translate.X) * S(w), zero);
        var ty = where(apply, Uniform(g, n, dev, -Translate.Y, Translate.Y) * S(h), zero);
        var s = where(apply, Uniform(g, n, dev, Scale.Min, Scale.Max), one);
        var k = where(apply, (Uniform(g, n, dev, -Shear, Shear) * S(Math.PI / 180)).tan_(), zero);
        var cos = angle.cos();
        var sin = angle.sin();
        var inv = s.reciprocal();
        var i00 = cos.add(sin * k, One).mul_(inv);
        var i01 = (sin - cos * k) * inv;
        var i10 = -sin * inv;
        var i11 = cos * inv;
        var theta = AffineSampling.Theta(
            i00, i01 * S(h / w), (i00 * tx).add_(i01 * ty, One).div_(S(-w / 2)),
            i10 * S(w / h), i11, (i10 * tx).add_(i11 * ty, One).div_(S(-h / 2)));
        return AffineSampling.Sample(x, theta, x.shape[2], x.shape[3], PaddingMode);
    }
}

/// <summary>Random rotation by up to ±degrees about the centre: a <see cref="RandomAffine"/> with rotation only.</summary>
public sealed class RandomRotation(double degrees, GridSamplePaddingMode padding = GridSamplePaddingMode.Zeros, double p = 1.0, long? seed = null)
    : RandomAffine(degrees, padding: padding, p: p, seed: seed);
