using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// An op set with its magnitude bins, as a policy's <c>_augmentation_space</c> in torchvision's autoaugment.py: per op its
/// magnitudes over the bins (none for the ops without one) and whether the policy may negate them. The magnitudes are made
/// with torch's linspace in float32 on the CPU, exactly as torchvision makes them, then moved to the batch's device.
/// </summary>
internal sealed class AugmentationSpace
{
    private readonly Entry[] _entries;

    private AugmentationSpace(int bins, params Entry[] entries)
    {
        Bins = bins;
        _entries = entries;
        Ops = entries.Select(e => e.Op).ToArray();
    }

    /// <summary>How many magnitudes each op with magnitudes has.</summary>
    public int Bins { get; }

    /// <summary>The ops, in torchvision's order (a drawn op index points here).</summary>
    public IReadOnlyList<AugmentOp> Ops { get; }

    /// <summary>An op, its magnitudes for (bins, height, width), or null for none (magnitude 0), and whether it is signed.</summary>
    private sealed record Entry(AugmentOp Op, Func<int, long, long, float[]>? Magnitudes, bool Signed);

    private static Entry Without(AugmentOp op) => new(op, null, false);

    private static Entry Upto(AugmentOp op, double max) => new(op, (bins, _, _) => Linspace(0, max, bins), true);

    private static Entry UptoOfSize(AugmentOp op, Func<long, long, double> max) => new(op, (bins, h, w) => Linspace(0, max(h, w), bins), true);

    /// <summary><c>top − round(arange(bins) / ((bins − 1) / divisions))</c> bits (float32 division, round half to even, as torch).</summary>
    private static Entry PosterizeBits(int top, int divisions) =>
        new(AugmentOp.Posterize, (bins, _, _) => Enumerable.Range(0, bins)
            .Select(i => (float)(top - (int)MathF.Round(i / (float)((bins - 1) / (double)divisions), MidpointRounding.ToEven)))
            .ToArray(), false);

    private static Entry SolarizeThresholds() => new(AugmentOp.Solarize, (bins, _, _) => Linspace(255, 0, bins), false);

    private static float[] Linspace(double start, double end, int bins)
    {
        using var t = linspace(start, end, bins, ScalarType.Float32);
        return t.data<float>().ToArray();
    }

    /// <summary>RandAugment's space (with Identity, without Invert).</summary>
    public static AugmentationSpace RandAugment(int bins) => new(bins,
        Without(AugmentOp.Identity),
        Upto(AugmentOp.ShearX, 0.3), Upto(AugmentOp.ShearY, 0.3),
        UptoOfSize(AugmentOp.TranslateX, (_, w) => 150.0 / 331.0 * w), UptoOfSize(AugmentOp.TranslateY, (h, _) => 150.0 / 331.0 * h),
        Upto(AugmentOp.Rotate, 30),
        Upto(AugmentOp.Brightness, 0.9), Upto(AugmentOp.Color, 0.9), Upto(AugmentOp.Contrast, 0.9), Upto(AugmentOp.Sharpness, 0.9),
        PosterizeBits(8, 4), SolarizeThresholds(),
        Without(AugmentOp.AutoContrast), Without(AugmentOp.Equalize));

    /// <summary>AutoAugment's space: 10 bins, no Identity, with Invert.</summary>
    public static AugmentationSpace AutoAugment() => new(10,
        Upto(AugmentOp.ShearX, 0.3), Upto(AugmentOp.ShearY, 0.3),
        UptoOfSize(AugmentOp.TranslateX, (_, w) => 150.0 / 331.0 * w), UptoOfSize(AugmentOp.TranslateY, (h, _) => 150.0 / 331.0 * h),
        Upto(AugmentOp.Rotate, 30),
        Upto(AugmentOp.Brightness, 0.9), Upto(AugmentOp.Color, 0.9), Upto(AugmentOp.Contrast, 0.9), Upto(AugmentOp.Sharpness, 0.9),
        PosterizeBits(8, 4), SolarizeThresholds(),
        Without(AugmentOp.AutoContrast), Without(AugmentOp.Equalize), Without(AugmentOp.Invert));

    /// <summary>TrivialAugmentWide's wider space: shear up to 0.99, translation 32 pixels, rotation 135°, down to 2 bits.</summary>
    public static AugmentationSpace TrivialAugmentWide(int bins) => new(bins,
        Without(AugmentOp.Identity),
        Upto(AugmentOp.ShearX, 0.99), Upto(AugmentOp.ShearY, 0.99),
        Upto(AugmentOp.TranslateX, 32), Upto(AugmentOp.TranslateY, 32),
        Upto(AugmentOp.Rotate, 135),
        Upto(AugmentOp.Brightness, 0.99), Upto(AugmentOp.Color, 0.99), Upto(AugmentOp.Contrast, 0.99), Upto(AugmentOp.Sharpness, 0.99),
        PosterizeBits(8, 6), SolarizeThresholds(),
        Without(AugmentOp.AutoContrast), Without(AugmentOp.Equalize));

    /// <summary>AugMix's space: 10 bins, translation up to a third of the image, 4 to 0 bits; the colour enhancements only with <paramref name="allOps"/>.</summary>
    public static AugmentationSpace AugMix(bool allOps)
    {
        var entries = new List<Entry>
        {
            Upto(AugmentOp.ShearX, 0.3), Upto(AugmentOp.ShearY, 0.3),
            UptoOfSize(AugmentOp.TranslateX, (_, w) => w / 3.0), UptoOfSize(AugmentOp.TranslateY, (h, _) => h / 3.0),
            Upto(AugmentOp.Rotate, 30),
            PosterizeBits(4, 4), SolarizeThresholds(),
            Without(AugmentOp.AutoContrast), Without(AugmentOp.Equalize),
        };
        if (allOps)
            entries.AddRange([Upto(AugmentOp.Brightness, 0.9), Upto(AugmentOp.Color, 0.9), Upto(AugmentOp.Contrast, 0.9), Upto(AugmentOp.Sharpness, 0.9)]);
        return new AugmentationSpace(10, [.. entries]);
    }

    /// <summary>The magnitudes (ops × bins, float32; zeros for the ops without) for an image of h×w, and which ops are signed.</summary>
    public (Tensor Table, Tensor Signed) Tables(long h, long w, Device device)
    {
        var values = new float[_entries.Length * Bins];
        for (int k = 0; k < _entries.Length; k++)
            _entries[k].Magnitudes?.Invoke(Bins, h, w).CopyTo(values, k * Bins);
        var table = tensor(values, [_entries.Length, Bins]).to(device);
        var signed = tensor(_entries.Select(e => e.Signed).ToArray()).to(device);
        return (table, signed);
    }

    /// <summary>Each sample's magnitude: table[op, bin], negated where the op is signed and <paramref name="negate"/> is true.</summary>
    public static Tensor Magnitudes(Tensor table, Tensor signed, Tensor op, Tensor bin, Tensor negate)
    {
        var magnitude = table.index_select(0, op).gather(1, bin.unsqueeze(1)).squeeze(1);
        return where(signed.index_select(0, op).logical_and(negate), magnitude.neg(), magnitude);
    }
}
