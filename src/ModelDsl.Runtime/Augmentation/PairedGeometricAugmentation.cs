using ModelDsl.Data;
using ModelDsl.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// Base of the paired geometric augmentations. A subclass draws, per sample, one forward affine map in
/// pixel coordinates (a 3×3 matrix taking input points to output points, continuous convention: pixel
/// (i, j) covers [j, j+1)×[i, i+1)) and the output size; this class applies that one map to all three
/// data kinds, so they cannot disagree:
/// <list type="bullet">
/// <item>images: resampled through the inverse map (bilinear; outside pixels 0), one affine_grid + grid_sample;</item>
/// <item>masks: resampled the same way with nearest (only values that were in the mask come out); pixels
/// from outside the input get <see cref="MaskFill"/> (default 255, the ignore index, so padding is not
/// learnt as background);</item>
/// <item>boxes: their 4 corners mapped forward, the box is their bounding box, clipped to the output;
/// a box keeping less than <see cref="MinVisible"/> of its (mapped, unclipped) area, or none, is dropped
/// (class −1, zeros).</item>
/// </list>
/// Random state as in <see cref="RandomAugmentation"/>: parameters drawn as tensors on the batch's device
/// from a generator seeded with <see cref="Seed"/> (one per device); a sample is transformed with
/// probability <see cref="P"/>, the others get the subclass's identity-like map.
/// </summary>
public abstract class PairedGeometricAugmentation : IPairedAugmentation, IRandomState, IDisposable
{
    private readonly SeededGenerators _generators;
    private readonly object _lock = new();

    protected PairedGeometricAugmentation(double p, long? seed, double minVisible, int maskFill)
    {
        if (p is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "Probability must be in [0, 1].");
        if (minVisible is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(minVisible), minVisible, "The least visible fraction of a box must be in [0, 1].");
        P = p;
        Seed = seed ?? Random.Shared.NextInt64(long.MaxValue);
        MinVisible = minVisible;
        MaskFill = maskFill;
        _generators = new SeededGenerators(Seed, GetType().Name);
    }

    public double P { get; }
    public long Seed { get; }
    /// <summary>A box is kept when at least this fraction of its mapped area lies inside the output (and more than none).</summary>
    public double MinVisible { get; }
    /// <summary>The mask value of output pixels that come from outside the input.</summary>
    public int MaskFill { get; }

    /// <summary>
    /// Per-sample forward maps N×3×3 (float64, pixel coordinates, input → output) and the output size,
    /// for a batch of <paramref name="n"/> images of <paramref name="height"/>×<paramref name="width"/>.
    /// Runs inside a dispose scope.
    /// </summary>
    protected abstract (Tensor Forward, long OutHeight, long OutWidth) Draw(Generator g, long n, long height, long width, Device device);

    public DenseBatch Apply(DenseBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Check(batch);
        using var scope = NewDisposeScope();
        var x = batch.Images;
        long n = x.shape[0], h = x.shape[2], w = x.shape[3];
        Tensor fwd;
        long oh, ow;
        lock (_lock)
        {
            try { (fwd, oh, ow) = Draw(_generators.For(x.device), n, h, w, x.device); }
            finally { _kept.Dispose(); }
        }
        using var warpScalars = new KeptScalars();
        var images = PairedWarp.Images(x, fwd, oh, ow);
        var masks = batch.Masks is null ? null : PairedWarp.Masks(batch.Masks, fwd, oh, ow, MaskFill, warpScalars);
        Tensor? boxes = null, classes = null;
        if (batch.Boxes is not null)
        {
            if (batch.Classes is null) throw new ArgumentException($"{GetType().Name}: boxes given without their classes.", nameof(batch));
            (boxes, classes) = PairedWarp.Boxes(batch.Boxes, batch.Classes, fwd, oh, ow, MinVisible, warpScalars);
        }
        return new DenseBatch(images.MoveToOuterDisposeScope(), masks?.MoveToOuterDisposeScope(),
                              boxes?.MoveToOuterDisposeScope(), classes?.MoveToOuterDisposeScope());
    }

    private void Check(DenseBatch b)
    {
        string who = GetType().Name;
        var x = b.Images;
        if (x.dim() != 4 || !x.is_floating_point())
            throw new ArgumentException($"{who} expects floating-point images N×C×H×W; got {x.dtype} [{string.Join(", ", x.shape)}].", nameof(b));
        if (b.Masks is { } m && (m.dim() != 3 || m.shape[0] != x.shape[0] || m.shape[1] != x.shape[2] || m.shape[2] != x.shape[3] || m.is_floating_point()))
            throw new ArgumentException($"{who}: masks must be integer N×H×W matching images [{string.Join(", ", x.shape)}]; got {m.dtype} [{string.Join(", ", m.shape)}].", nameof(b));
        if (b.Boxes is { } bx)
        {
            if (b.Classes is null) throw new ArgumentException($"{who}: boxes given without their classes.", nameof(b));
            DetectionTargets.Check(bx, b.Classes);
            if (bx.shape[0] != x.shape[0]) throw new ArgumentException($"{who}: {bx.shape[0]} box rows for {x.shape[0]} images.", nameof(b));
        }
    }

    /// <summary>The device generators' state (seed and position), so a resumed run draws as the uninterrupted one (the dense loaders save it in checkpoints).</summary>
    public byte[] SaveRandomState()
    {
        lock (_lock) return _generators.Save();
    }

    public void LoadRandomState(byte[] state)
    {
        lock (_lock) _generators.Load(state);
    }

    private readonly KeptScalars _kept = new();

    /// <summary>
    /// <paramref name="value"/> as a libtorch Scalar alive until this <see cref="Apply"/>'s draw ends: use it instead of a bare
    /// number in tensor arithmetic inside <see cref="Draw"/>, as <see cref="RandomAugmentation"/>'s S (KeptScalars says why).
    /// </summary>
    protected Scalar S(double value) => _kept.Of(value);

    /// <summary>The integer 1 as the alpha of <c>add(t, One)</c> (TorchSharp's <c>a + b</c> makes it a temporary).</summary>
    protected static Scalar One => KeptScalars.One;

    /// <summary>U(lo, hi) per sample, shape N, float64 on <paramref name="device"/> (drawn as float32, as RandomAugmentation does).</summary>
    protected Tensor Uniform(Generator g, long n, Device device, double lo, double hi) =>
        torch.rand(new[] { n }, ScalarType.Float32, device: device, generator: g).to_type(ScalarType.Float64).mul_(S(hi - lo)).add_(S(lo), One);

    /// <summary>Which samples are transformed: bool N, true with probability P (always drawn, so the stream does not depend on P).</summary>
    protected Tensor Selected(Generator g, long n, Device device) =>
        torch.rand(new[] { n }, ScalarType.Float32, device: device, generator: g).lt(S(P));

    /// <summary>N×3×3 matrices [[a, b, c], [d, e, f], [0, 0, 1]] from per-sample N-vectors (float64).</summary>
    protected static Tensor Matrix(Tensor a, Tensor b, Tensor c, Tensor d, Tensor e, Tensor f)
    {
        var zero = zeros_like(a);
        var one = ones_like(a);
        return stack([stack([a, b, c], 1), stack([d, e, f], 1), stack([zero, zero, one], 1)], 1);
    }

    public void Dispose()
    {
        lock (_lock) _generators.Dispose();
        GC.SuppressFinalize(this);
    }
}
