using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// torchvision's <c>RandomApply(transforms, p)</c>, per sample: each sample goes through all of <see cref="Steps"/> (in
/// order) with probability p, else stays as it was. The decisions come from a seeded generator of their own; the steps keep
/// theirs; <see cref="SaveRandomState"/> holds both, so a resumed run decides and draws as the uninterrupted one.
/// </summary>
public sealed class RandomApply : IAugmentation, IRandomState, IDisposable
{
    private readonly Decisions _decisions;
    private readonly Compose _steps;

    public RandomApply(double p, long? seed, params IAugmentation[] steps)
    {
        if (steps.Length == 0) throw new ArgumentException("RandomApply needs at least one step.", nameof(steps));
        _decisions = new Decisions(p, seed);
        _steps = new Compose(steps);
    }

    public double P => _decisions.P;
    public IReadOnlyList<IAugmentation> Steps => _steps.Steps;

    public Tensor Apply(Tensor batch)
    {
        using var scope = NewDisposeScope();
        var chosen = _decisions.Apply(batch);           // N×1×1×1: 1 where the sample is transformed
        var transformed = _steps.Apply(batch);
        return where(chosen.gt(0.5f), transformed, batch).MoveToOuterDisposeScope();
    }

    public byte[] SaveRandomState() => RandomStates.Join(_decisions.SaveRandomState(), _steps.SaveRandomState());

    public void LoadRandomState(byte[] state)
    {
        var (decisions, steps) = RandomStates.Split(state, nameof(RandomApply));
        _decisions.LoadRandomState(decisions);
        _steps.LoadRandomState(steps);
    }

    public void Dispose() => _decisions.Dispose();

    /// <summary>The per-sample coin: 1 with probability p (RandomAugmentation's mask, drawn on the batch's device).</summary>
    private sealed class Decisions(double p, long? seed) : RandomAugmentation(p, seed)
    {
        protected override Tensor ApplyCore(Tensor x, Generator g) => View4(Mask(g, x.shape[0], x.device)).to_type(x.dtype);
    }
}

/// <summary>
/// torchvision's <c>RandomChoice(transforms)</c>, per sample: each sample goes through one of <see cref="Options"/>, picked
/// uniformly (or by <c>weights</c>) by a seeded generator of its own; every option's state is saved with it.
/// </summary>
public sealed class RandomChoice : IAugmentation, IRandomState, IDisposable
{
    private readonly Picks _picks;
    private readonly Compose _options;

    public RandomChoice(long? seed, params IAugmentation[] options) : this(seed, null, options) { }

    public RandomChoice(long? seed, double[]? weights, params IAugmentation[] options)
    {
        if (options.Length == 0) throw new ArgumentException("RandomChoice needs at least one option.", nameof(options));
        if (weights is not null && (weights.Length != options.Length || weights.Any(w => !(w >= 0)) || !(weights.Sum() > 0)))
            throw new ArgumentException($"RandomChoice: {weights.Length} weights for {options.Length} options; each ≥ 0, not all 0.", nameof(weights));
        double total = weights?.Sum() ?? options.Length;
        var cumulative = new double[options.Length];
        double running = 0;
        for (int i = 0; i < options.Length; i++) cumulative[i] = running += (weights?[i] ?? 1) / total;
        _picks = new Picks(cumulative, seed);
        _options = new Compose(options); // only for the joint random state: each option is applied on its own below
    }

    public IReadOnlyList<IAugmentation> Options => _options.Steps;

    public Tensor Apply(Tensor batch)
    {
        using var scope = NewDisposeScope();
        var pick = _picks.Apply(batch);                 // N×1×1×1: the index of each sample's option
        Tensor result = batch;
        for (int i = 0; i < Options.Count; i++)
            result = where(pick.eq((float)i), Options[i].Apply(batch), result);
        return (ReferenceEquals(result, batch) ? batch.alias() : result).MoveToOuterDisposeScope();
    }

    public byte[] SaveRandomState() => RandomStates.Join(_picks.SaveRandomState(), _options.SaveRandomState());

    public void LoadRandomState(byte[] state)
    {
        var (picks, options) = RandomStates.Split(state, nameof(RandomChoice));
        _picks.LoadRandomState(picks);
        _options.LoadRandomState(options);
    }

    public void Dispose() => _picks.Dispose();

    /// <summary>Each sample's option: the first whose cumulative weight exceeds a uniform draw.</summary>
    private sealed class Picks(double[] cumulative, long? seed) : RandomAugmentation(1, seed)
    {
        protected override Tensor ApplyCore(Tensor x, Generator g)
        {
            var u = Uniform(g, x.shape[0], x.device, 0, 1);
            var index = zeros_like(u);
            foreach (double edge in cumulative.Take(cumulative.Length - 1)) index = index.add(u.ge(S(edge)).to_type(u.dtype), One);
            return View4(index).to_type(x.dtype);
        }
    }
}

/// <summary>Two random states as one (each with its length first), for augmentations made of others.</summary>
internal static class RandomStates
{
    public static byte[] Join(byte[] first, byte[] second)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms))
        {
            w.Write(first.Length);
            w.Write(first);
            w.Write(second.Length);
            w.Write(second);
        }
        return ms.ToArray();
    }

    public static (byte[] First, byte[] Second) Split(byte[] state, string owner)
    {
        ArgumentNullException.ThrowIfNull(state);
        try
        {
            using var r = new BinaryReader(new MemoryStream(state));
            var first = r.ReadBytes(r.ReadInt32());
            var second = r.ReadBytes(r.ReadInt32());
            if (r.BaseStream.Position != state.Length) throw new InvalidDataException($"{owner}: unexpected bytes after the random state.");
            return (first, second);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentOutOfRangeException)
        {
            throw new InvalidDataException($"{owner}: the random state ({state.Length} bytes) does not fit; it was saved from another augmentation.", e);
        }
    }
}
