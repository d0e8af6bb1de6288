using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>How <see cref="RandomCrop"/> fills the padding (the modes of torch.nn.functional.pad).</summary>
public enum CropPadding
{
    Constant,
    Reflect,
    Replicate,
    Circular,
}

/// <summary>
/// Pads every side by <c>padding</c> and cuts a Height×Width window at a random offset per sample (the
/// classic CIFAR "pad 4, crop 32"). Vectorised: the whole batch is padded once, and all windows are
/// read with one <c>gather</c> on flat pixel indices (offset_y + row)·W + offset_x + col, so there is no
/// per-sample loop. Samples not selected (probability 1 − p) get the centre window.
/// </summary>
public sealed class RandomCrop : RandomAugmentation
{
    /// <summary>It moves pixels; masks and boxes cannot follow it (see <see cref="RandomAugmentation"/>'s remarks).</summary>
    public override bool MovesPixels => true;

    protected override string? PairedAlternative => nameof(PairedRandomCrop);

    public RandomCrop(int height, int width, int padding = 0, CropPadding paddingMode = CropPadding.Constant, double fill = 0, double p = 1.0, long? seed = null)
        : base(p, seed)
    {
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"Crop size must be positive; got {height}×{width}.");
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, "Padding must be ≥ 0.");
        Height = height;
        Width = width;
        Padding = padding;
        PaddingMode = paddingMode;
        Fill = fill;
    }

    public RandomCrop(int size, int padding = 0, CropPadding paddingMode = CropPadding.Constant, double fill = 0, double p = 1.0, long? seed = null)
        : this(size, size, padding, paddingMode, fill, p, seed) { }

    public int Height { get; }
    public int Width { get; }
    public int Padding { get; }
    public CropPadding PaddingMode { get; }
    public double Fill { get; }

    protected override Tensor ApplyCore(Tensor x, Generator g)
    {
        long n = x.shape[0], c = x.shape[1];
        var dev = x.device;
        var xp = Padding == 0 ? x : nn.functional.pad(x, [Padding, Padding, Padding, Padding], PaddingMode switch
        {
            CropPadding.Reflect => PaddingModes.Reflect,
            CropPadding.Replicate => PaddingModes.Replicate,
            CropPadding.Circular => PaddingModes.Circular,
            _ => PaddingModes.Constant,
        }, Fill);
        long hp = xp.shape[2], wp = xp.shape[3];
        if (hp < Height || wp < Width)
            throw new ArgumentException($"RandomCrop {Height}×{Width} does not fit in a padded image of {hp}×{wp} (input [{string.Join(", ", x.shape)}], padding {Padding}).");
        var apply = Mask(g, n, dev);
        // Offsets uniform in [0, hp − Height]; floor(u·(range+1)) clamped for u → 1.
        var oy = Uniform(g, n, dev, 0, 1).mul_(S(hp - Height + 1)).floor_().clamp_(C(0), S(hp - Height)).to_type(ScalarType.Int64);
        var ox = Uniform(g, n, dev, 0, 1).mul_(S(wp - Width + 1)).floor_().clamp_(C(0), S(wp - Width)).to_type(ScalarType.Int64);
        oy = where(apply, oy, full_like(oy, S((hp - Height) / 2)));
        ox = where(apply, ox, full_like(ox, S((wp - Width) / 2)));
        var rows = oy.view(n, 1).add(arange(Height, dtype: ScalarType.Int64, device: dev).view(1, Height), One);   // N×h
        var cols = ox.view(n, 1).add(arange(Width, dtype: ScalarType.Int64, device: dev).view(1, Width), One);     // N×w
        var flat = (rows.view(n, Height, 1) * S(wp)).add(cols.view(n, 1, Width), One).view(n, 1, Height * Width).expand(n, c, Height * Width);
        return xp.flatten(2).gather(2, flat).view(n, c, Height, Width);
    }
}
