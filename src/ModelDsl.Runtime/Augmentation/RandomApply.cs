using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// torchvision's <c>RandomApply(transforms, p)</c>, per sample: each sample goes through all of <see cref="Steps"/> (in
/// order) with probability p, else stays as it was. The decisions come from a seeded generator of their own; the steps keep
/// theirs; <see cref="SaveRandomState"/> holds both, so a resumed run decides and draws as the uninterrupted one.
/// </summary>
public sealed class RandomApply : DecidedAugmentation
{
    private readonly Compose _steps;

    public RandomApply(double p, long? seed, params IAugmentation[] steps)
        : this(new Compose(steps.Length > 0 ? steps : throw new ArgumentException("RandomApply needs at least one step.", nameof(steps))), new Decisions(p, seed)) { }

    private RandomApply(Compose steps, Decisions decisions) : base(decisions, steps) => _steps = steps;

    public double P => Decider.P;
    public IReadOnlyList<IAugmentation> Steps => _steps.Steps;

    public override Tensor Apply(Tensor batch)
    {
        using var scope = NewDisposeScope();
        var chosen = Decider.Apply(batch);              // N×1×1×1: 1 where the sample is transformed
        var transformed = _steps.Apply(batch);
        return where(chosen.gt(0.5f), transformed, batch).MoveToOuterDisposeScope();
    }

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
public sealed class RandomChoice : DecidedAugmentation
{
    public RandomChoice(long? seed, params IAugmentation[] options) : this(seed, null, options) { }

    public RandomChoice(long? seed, double[]? weights, params IAugmentation[] options)
        // The options as one Compose only for the joint random state: each is applied on its own below.
        : base(new Picks(Cumulative(weights, options), seed), new Compose(options))
    {
        Options = options;
    }

    public IReadOnlyList<IAugmentation> Options { get; }

    public override Tensor Apply(Tensor batch)
    {
        using var scope = NewDisposeScope();
        var pick = Decider.Apply(batch);                // N×1×1×1: the index of each sample's option
        Tensor result = batch;
        for (int i = 0; i < Options.Count; i++)
            result = where(pick.eq((float)i), Options[i].Apply(batch), result);
        return (ReferenceEquals(result, batch) ? batch.alias() : result).MoveToOuterDisposeScope();
    }

    /// <summary>Each option's upper edge on [0, 1] (weights normalised; equal without weights).</summary>
    private static double[] Cumulative(double[]? weights, IAugmentation[] options)
    {
        if (options.Length == 0) throw new ArgumentException("RandomChoice needs at least one option.", nameof(options));
        if (weights is not null && (weights.Length != options.Length || weights.Any(w => !(w >= 0)) || !(weights.Sum() > 0)))
            throw new ArgumentException($"RandomChoice: {weights.Length} weights for {options.Length} options; each ≥ 0, not all 0.", nameof(weights));
        double total = weights?.Sum() ?? options.Length;
        var cumulative = new double[options.Length];
        double running = 0;
        for (int i = 0; i < options.Length; i++) cumulative[i] = running += (weights?[i] ?? 1) / total;
        return cumulative;
    }

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

/// <summary>
/// An augmentation that decides per sample (a seeded <see cref="RandomAugmentation"/> of its own) which of its parts apply:
/// its random state is the decider's and the parts', saved and put back together.
/// </summary>
public abstract class DecidedAugmentation : IAugmentation, IRandomState, IDisposable
{
    private readonly Compose _parts;

    private protected DecidedAugmentation(RandomAugmentation decider, Compose parts)
    {
        Decider = decider;
        _parts = parts;
    }

    /// <summary>Draws the per-sample decisions (as an N×1×1×1 tensor) from its generator.</summary>
    private protected RandomAugmentation Decider { get; }

    public abstract Tensor Apply(Tensor batch);

    public byte[] SaveRandomState() => RandomStates.Join(Decider.SaveRandomState(), _parts.SaveRandomState());

    public void LoadRandomState(byte[] state)
    {
        var (decisions, parts) = RandomStates.Split(state, GetType().Name);
        Decider.LoadRandomState(decisions);
        _parts.LoadRandomState(parts);
    }

    public void Dispose() => Decider.Dispose();
}
