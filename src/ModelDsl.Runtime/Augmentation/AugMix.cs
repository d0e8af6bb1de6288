using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// torchvision's <c>AugMix(severity, mixture_width, chain_depth, alpha, all_ops)</c>, per sample: <see cref="MixtureWidth"/>
/// chains of 1 to 3 ops (or <see cref="ChainDepth"/> when it is positive), each op drawn uniformly from AugMix's space
/// with a magnitude bin below <see cref="Severity"/> and a random sign, mixed as
/// m·x + (1 − m)·Σ wᵢ·chainᵢ(x) with m ~ Beta(α, α) and w ~ Dirichlet(α, …, α). Bilinear interpolation, zeros outside,
/// as torchvision's AugMix.
/// </summary>
/// <remarks>
/// The Beta and Dirichlet weights come from libtorch's <c>_sample_dirichlet</c> (TorchSharp's
/// <c>torch._sample_dirichlet(input, generator)</c>, the function torchvision calls), drawn from this augmentation's
/// generator, so they are seeded and resumable like every other decision. A chain shorter than the longest is left as it is
/// for its missing steps; every chain draws three steps so the random stream does not depend on the drawn depths.
/// </remarks>
public sealed class AugMix : RandomAugmentation
{
    /// <summary>It moves pixels; masks and boxes cannot follow it (see <see cref="RandomAugmentation"/>'s remarks).</summary>
    public override bool MovesPixels => true;

    private const int MaxSeverity = 10;      // torchvision's _PARAMETER_MAX: the bins of AugMix's space
    private readonly AugmentationSpace _space;

    public AugMix(int severity = 3, int mixtureWidth = 3, int chainDepth = -1, double alpha = 1.0, bool allOps = true, long? seed = null)
        : base(1, seed)
    {
        if (severity is < 1 or > MaxSeverity)
            throw new ArgumentOutOfRangeException(nameof(severity), severity, $"AugMix: severity must be in [1, {MaxSeverity}].");
        if (mixtureWidth < 1) throw new ArgumentOutOfRangeException(nameof(mixtureWidth), mixtureWidth, "AugMix: mixtureWidth must be at least 1.");
        if (!(alpha > 0) || double.IsInfinity(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "AugMix: alpha must be finite and > 0.");
        Severity = severity;
        MixtureWidth = mixtureWidth;
        ChainDepth = chainDepth;
        Alpha = alpha;
        AllOps = allOps;
        _space = AugmentationSpace.AugMix(allOps);
    }

    public int Severity { get; }
    public int MixtureWidth { get; }
    /// <summary>The ops per chain; 0 or less: 1 to 3, drawn per chain and sample.</summary>
    public int ChainDepth { get; }
    public double Alpha { get; }
    public bool AllOps { get; }

    protected override Tensor ApplyCore(Tensor x, Generator g)
    {
        long n = x.shape[0];
        var dev = x.device;
        var (table, signed) = _space.Tables(x.shape[2], x.shape[3], dev);
        var alpha = S(Alpha);
        // Beta(α, α) as a two-parameter Dirichlet (column 0 weighs the original), then the chains' weights times its column 1.
        var m = _sample_dirichlet(full([n, 2], alpha, ScalarType.Float32, dev), g);
        var weights = _sample_dirichlet(full([n, MixtureWidth], alpha, ScalarType.Float32, dev), g).mul(m.narrow(1, 1, 1));
        var mix = x.mul(View4(m.narrow(1, 0, 1)).to_type(x.dtype));
        var skip = full([n], S((long)_space.Ops.Count), ScalarType.Int64, dev);
        int steps = ChainDepth > 0 ? ChainDepth : 3;
        for (int i = 0; i < MixtureWidth; i++)
        {
            Tensor? depth = ChainDepth > 0 ? null : Integers(g, [n], dev, 3).add_(C(1L), One);  // 1 … 3, as randint(1, 4)
            var aug = x;
            for (int s = 0; s < steps; s++)
            {
                var op = Integers(g, [n], dev, _space.Ops.Count);
                var bin = Integers(g, [n], dev, Severity);
                var negate = Integers(g, [n], dev, 2).eq(C(1L));
                var magnitude = AugmentationSpace.Magnitudes(table, signed, op, bin, negate);
                var chosen = depth is null ? op : where(depth.gt(S((long)s)), op, skip);
                aug = AugmentationOps.ApplyEach(aug, chosen, magnitude, _space.Ops, GridSampleMode.Bilinear);
            }
            mix.add_(aug.mul(View4(weights.narrow(1, i, 1)).to_type(x.dtype)), One);
        }
        return mix;
    }
}
