using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// What MixUp and CutMix share: each training batch is mixed with a shuffled copy of itself in proportion λ ~ Beta(α, α),
/// and the targets become class probabilities mixed in the same proportion (the loss must take probabilities:
/// <see cref="Loss.CrossEntropy"/> does). The draws come from a generator seeded from (seed, step), so they are a function
/// of the step counter: a resumed run, mid-epoch too, mixes exactly as the uninterrupted one, with no state to checkpoint.
/// Validation is never mixed.
/// </summary>
public abstract class SampleMixing : ILearnerCallback
{
    private Tensor? _partner;
    private double _lambda;

    protected SampleMixing(double alpha, long seed)
    {
        if (!(alpha > 0) || double.IsInfinity(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"{GetType().Name}: α of the Beta(α, α) mixing proportion must be finite and > 0.");
        Alpha = alpha;
        Seed = seed;
    }

    /// <summary>The Beta distribution's parameter: small α mixes little (λ near 0 or 1), α = 1 draws λ uniformly.</summary>
    public double Alpha { get; }

    public long Seed { get; }

    public void BeforeBatch(StepContext step)
    {
        var x = step.Inputs;
        using var g = new Generator(unchecked((ulong)(Seed * 1_000_003 + step.Step)), x.device);
        // Beta(α, α) as a two-parameter Dirichlet, the way torchvision's MixUp and CutMix draw it.
        using var alpha = Alpha.ToScalar(); // kept for the call (a bare number would be a temporary Scalar: KeptScalars says why)
        using var proportions = _sample_dirichlet(full(new long[] { 1, 2 }, alpha, ScalarType.Float32, x.device), g);
        double drawn = proportions[0, 0].item<float>();
        var order = randperm(x.shape[0], generator: g, device: x.device);
        _lambda = Mix(step, order, drawn, g);
        _partner = order;
    }

    /// <summary>Mixes <see cref="StepContext.Inputs"/> with their permutation by <paramref name="order"/> at proportion <paramref name="drawn"/>; returns the share of the original (λ) the targets get.</summary>
    protected abstract double Mix(StepContext step, Tensor order, double drawn, Generator g);

    public void AfterPrediction(StepContext step)
    {
        if (_partner is not { } order) return;
        // The class count is the prediction's: targets become λ·onehot(y) + (1 − λ)·onehot(y[order]).
        long classes = step.Prediction!.shape[1];
        var y = step.Targets;
        if (y.is_floating_point() && y.dim() == 2) throw new InvalidOperationException($"{GetType().Name} mixes class indices; these targets are already probabilities [{string.Join(", ", y.shape)}].");
        var own = nn.functional.one_hot(y.to_type(ScalarType.Int64), classes).to_type(step.Prediction.dtype);
        var other = own.index_select(0, order);
        using var share = _lambda.ToScalar();
        using var rest = (1 - _lambda).ToScalar();
        step.Targets = own.mul(share).add_(other.mul(rest), ModelDsl.Platform.KeptScalars.One);
        _partner = null;
    }
}
