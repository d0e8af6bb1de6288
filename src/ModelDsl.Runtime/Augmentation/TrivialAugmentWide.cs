using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// torchvision's <c>TrivialAugmentWide(num_magnitude_bins)</c>, per sample: one op drawn uniformly from its wide space
/// (identity, shear, translate, rotate, brightness, color, contrast, sharpness, posterize, solarize, autocontrast,
/// equalize), a magnitude bin drawn uniformly and, for the signed ops, a random sign; nearest interpolation, zeros outside.
/// </summary>
public sealed class TrivialAugmentWide : RandomAugmentation
{
    /// <summary>It moves pixels; masks and boxes cannot follow it (see <see cref="RandomAugmentation"/>'s remarks).</summary>
    public override bool MovesPixels => true;

    private readonly AugmentationSpace _space;

    public TrivialAugmentWide(int numMagnitudeBins = 31, long? seed = null) : base(1, seed)
    {
        if (numMagnitudeBins < 2)
            throw new ArgumentOutOfRangeException(nameof(numMagnitudeBins), numMagnitudeBins, "TrivialAugmentWide: numMagnitudeBins must be at least 2.");
        NumMagnitudeBins = numMagnitudeBins;
        _space = AugmentationSpace.TrivialAugmentWide(numMagnitudeBins);
    }

    public int NumMagnitudeBins { get; }

    protected override Tensor ApplyCore(Tensor x, Generator g)
    {
        long n = x.shape[0];
        var (table, signed) = _space.Tables(x.shape[2], x.shape[3], x.device);
        var op = Integers(g, [n], x.device, _space.Ops.Count);
        var bin = Integers(g, [n], x.device, _space.Bins);
        var negate = Integers(g, [n], x.device, 2).eq(C(1L));
        var magnitude = AugmentationSpace.Magnitudes(table, signed, op, bin, negate);
        return AugmentationOps.ApplyEach(x, op, magnitude, _space.Ops, GridSampleMode.Nearest);
    }
}
