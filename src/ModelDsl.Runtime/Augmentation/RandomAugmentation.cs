using ModelDsl.Data;
using ModelDsl.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// Base of the random augmentations, Kornia-style: each sample of a batch is transformed with
/// probability <see cref="P"/> and its own random parameters, all drawn as tensors on the batch's
/// device from a <see cref="torch.Generator"/> seeded with <see cref="Seed"/> (one generator per
/// device, created on first use). Two instances with the same seed given the same batches produce the
/// same outputs; one instance produces a fresh draw on every call.
/// </summary>
/// <remarks>
/// <para><b>Images with masks and boxes.</b> Every random augmentation is also an <see cref="IPairedAugmentation"/>, so one
/// transform serves a classification loader and a dense one (Kornia's one augmentation base): a transform that changes pixel
/// values only (colour, blur, noise, erasing) changes the images and passes masks and boxes through; one that moves pixels
/// moves the masks and boxes with the same draw where it can (<see cref="ApplyWithTargets"/>: the flips), and otherwise says
/// so when a paired pipeline or a dense loader is built with it (<see cref="PairedUse"/>), naming the transform that can.</para>
/// </remarks>
public abstract class RandomAugmentation : IAugmentation, IPairedAugmentation, IRandomState, IDisposable
{
    private readonly SeededGenerators _generators;
    private readonly object _lock = new();

    protected RandomAugmentation(double p, long? seed)
    {
        if (p is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "Probability must be in [0, 1].");
        P = p;
        Seed = seed ?? Random.Shared.NextInt64(long.MaxValue);
        _generators = new SeededGenerators(Seed, GetType().Name);
    }

    /// <summary>Probability that a given sample is transformed.</summary>
    public double P { get; }
    public long Seed { get; }

    public Tensor Apply(Tensor batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.dim() != 4)
            throw new ArgumentException($"{GetType().Name} expects a batch N×C×H×W; got shape [{string.Join(", ", batch.shape)}].", nameof(batch));
        if (!batch.is_floating_point())
            throw new ArgumentException($"{GetType().Name} expects floating-point images in [0,1]; got {batch.dtype}.", nameof(batch));
        using var scope = NewDisposeScope();
        Tensor y;
        lock (_lock)
        {
            try { y = ApplyCore(batch, _generators.For(batch.device)); }
            finally { _kept.Dispose(); }
        }
        if (ReferenceEquals(y, batch)) y = batch.alias();
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>True for a transform that moves pixels (a flip, a crop, a warp): masks and boxes must move with it.</summary>
    public virtual bool MovesPixels => false;

    /// <summary>True when <see cref="ApplyWithTargets"/> moves masks and boxes with the images (or nothing moves): usable in a paired pipeline.</summary>
    public virtual bool MovesTargets => !MovesPixels;

    /// <summary>For a transform that moves pixels but not masks and boxes: the paired transform that does, for the message.</summary>
    protected virtual string? PairedAlternative => null;

    /// <summary>The message a paired pipeline gives when built with this transform, or null when it can be.</summary>
    internal string? RefusalForTargets => MovesTargets ? null
        : $"{GetType().Name} moves pixels but cannot move masks and boxes with them" + (PairedAlternative is { } other ? $": use {other} in a paired pipeline." : "; leave it out of a dense task's pipeline.");

    /// <summary>
    /// The batch's images through this transform; masks and boxes passed through unchanged, or — for a transform that moves
    /// pixels — moved by the same draw (<see cref="ApplyWithTargets"/>). A new batch; the input is left untouched.
    /// </summary>
    public DenseBatch Apply(DenseBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (MovesPixels && (batch.Masks is not null || batch.Boxes is not null))
        {
            if (RefusalForTargets is { } why) throw new NotSupportedException(why);
            return ApplyWithTargets(batch);
        }
        return new DenseBatch(Apply(batch.Images), batch.Masks?.alias(), batch.Boxes?.alias(), batch.Classes?.alias());
    }

    /// <summary>
    /// For a transform that moves pixels and can move masks and boxes with them (<see cref="MovesTargets"/>): the images, masks
    /// (N×H×W) and boxes (N×M×4, pixels; rows of class −1 are empty) moved by one draw per sample.
    /// </summary>
    protected virtual DenseBatch ApplyWithTargets(DenseBatch batch) => throw new NotSupportedException(RefusalForTargets);

    /// <summary>Runs <paramref name="draw"/> under this augmentation's lock with its generator for <paramref name="device"/> (for <see cref="ApplyWithTargets"/>).</summary>
    protected T Drawn<T>(Device device, Func<Generator, T> draw)
    {
        lock (_lock)
        {
            try { return draw(_generators.For(device)); }
            finally { _kept.Dispose(); }
        }
    }

    private readonly KeptScalars _kept = new();

    /// <summary>
    /// <paramref name="value"/> as a libtorch Scalar that stays alive until this call of <see cref="Apply"/> ends. Use it
    /// instead of a bare number in tensor arithmetic (<c>x * S(0.5)</c>, not <c>x * 0.5</c>): TorchSharp turns a bare
    /// number into a temporary Scalar that a garbage collection can free while libtorch still reads it
    /// (<see cref="KeptScalars"/> says why).
    /// </summary>
    protected Scalar S(double value) => _kept.Of(value);

    /// <summary>An integer <paramref name="value"/> computed at run time, kept as <see cref="S(double)"/> keeps a real one.</summary>
    protected Scalar S(long value) => _kept.Of(value);

    /// <summary>A literal number of the code (0, 1, 0.299) as a process-wide Scalar; <see cref="S(double)"/> is for values computed at run time.</summary>
    protected static Scalar C(double literal) => KeptScalars.Constant(literal);

    /// <summary>An integer literal as a process-wide Scalar.</summary>
    protected static Scalar C(long literal) => KeptScalars.Constant(literal);

    /// <summary>The integer 1 as the alpha of <c>add(t, One)</c>: <c>a + b</c> and <c>add_(t)</c> make it a temporary Scalar inside TorchSharp.</summary>
    protected static Scalar One => KeptScalars.One;

    /// <summary>1 − <paramref name="t"/>, without the temporary Scalars of TorchSharp's <c>1 - t</c>.</summary>
    protected static Tensor OneMinus(Tensor t) => t.neg().add_(C(1), One);

    /// <summary>Transforms <paramref name="x"/>; runs inside a dispose scope, so intermediates need no disposing.</summary>
    protected abstract Tensor ApplyCore(Tensor x, Generator g);

    /// <summary>Every device generator used so far, by device name, with its torch state (seed and position).</summary>
    public byte[] SaveRandomState()
    {
        lock (_lock) return _generators.Save();
    }

    /// <summary>Recreates the saved device generators (seeded as usual) and moves each to its saved state.</summary>
    public void LoadRandomState(byte[] state)
    {
        lock (_lock) _generators.Load(state);
    }

    /// <summary>U(lo, hi) per sample, shape N, float32 on <paramref name="device"/>.</summary>
    protected Tensor Uniform(Generator g, long n, Device device, double lo, double hi)
    {
        var u = torch.rand(new[] { n }, ScalarType.Float32, device: device, generator: g);
        return lo == 0 && hi == 1 ? u : u.mul_(S(hi - lo)).add_(S(lo), S(1)); // add_(x) alone makes its alpha 1 a temporary Scalar inside TorchSharp
    }

    /// <summary>Integers uniform in [0, <paramref name="high"/>) of the given shape, int64 on <paramref name="device"/> (torch's randint, from this augmentation's generator).</summary>
    protected static Tensor Integers(Generator g, long[] shape, Device device, long high) =>
        torch.randint(0, high, shape, ScalarType.Int64, device, generator: g);

    /// <summary>Which samples are transformed: bool N, true with probability P (drawn even when P is 0 or 1, so the random stream does not depend on P).</summary>
    protected Tensor Mask(Generator g, long n, Device device) =>
        torch.rand(new[] { n }, ScalarType.Float32, device: device, generator: g).lt(S(P));

    /// <summary>A per-sample mask shaped to broadcast over N×C×H×W.</summary>
    protected static Tensor View4(Tensor perSample) => perSample.view(-1, 1, 1, 1);

    /// <summary>BT.601 luma N×1×H×W of an RGB batch (the weights torchvision and Kornia use).</summary>
    internal static Tensor Gray(Tensor x)
    {
        if (x.shape[1] == 1) return x;
        var r = x.narrow(1, 0, 1);
        var g = x.narrow(1, 1, 1);
        var b = x.narrow(1, 2, 1);
        return (r * C(0.299)).add_(g * C(0.587), One).add_(b * C(0.114), One);
    }

    public void Dispose()
    {
        lock (_lock) _generators.Dispose();
        GC.SuppressFinalize(this);
    }
}
