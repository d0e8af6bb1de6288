using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// torchvision's <c>RandAugment(num_ops, magnitude, num_magnitude_bins)</c>, per sample: <see cref="NumOps"/> ops in a row,
/// each drawn uniformly from RandAugment's space (identity, shear, translate, rotate, brightness, color, contrast,
/// sharpness, posterize, solarize, autocontrast, equalize) at the fixed magnitude bin <see cref="Magnitude"/>, with a random
/// sign for the signed ops; nearest interpolation, zeros outside.
/// </summary>
public sealed class RandAugment : RandomAugmentation
{
    /// <summary>It moves pixels; masks and boxes cannot follow it (see <see cref="RandomAugmentation"/>'s remarks).</summary>
    public override bool MovesPixels => true;

    private readonly AugmentationSpace _space;

    public RandAugment(int numOps = 2, int magnitude = 9, int numMagnitudeBins = 31, long? seed = null) : base(1, seed)
    {
        if (numOps < 0) throw new ArgumentOutOfRangeException(nameof(numOps), numOps, "RandAugment: numOps must be ≥ 0.");
        if (numMagnitudeBins < 2)
            throw new ArgumentOutOfRangeException(nameof(numMagnitudeBins), numMagnitudeBins, "RandAugment: numMagnitudeBins must be at least 2.");
        if (magnitude < 0 || magnitude >= numMagnitudeBins)
            throw new ArgumentOutOfRangeException(nameof(magnitude), magnitude, $"RandAugment: magnitude is a bin in [0, {numMagnitudeBins - 1}] (numMagnitudeBins − 1).");
        NumOps = numOps;
        Magnitude = magnitude;
        NumMagnitudeBins = numMagnitudeBins;
        _space = AugmentationSpace.RandAugment(numMagnitudeBins);
    }

    public int NumOps { get; }
    public int Magnitude { get; }
    public int NumMagnitudeBins { get; }

    protected override Tensor ApplyCore(Tensor x, Generator g)
    {
        long n = x.shape[0];
        var (table, signed) = _space.Tables(x.shape[2], x.shape[3], x.device);
        var bin = full([n], S((long)Magnitude), ScalarType.Int64, x.device);
        var y = x;
        for (int i = 0; i < NumOps; i++)
        {
            var op = Integers(g, [n], x.device, _space.Ops.Count);
            var negate = Integers(g, [n], x.device, 2).eq(C(1L));
            var magnitude = AugmentationSpace.Magnitudes(table, signed, op, bin, negate);
            y = AugmentationOps.ApplyEach(y, op, magnitude, _space.Ops, GridSampleMode.Nearest);
        }
        return y;
    }
}
