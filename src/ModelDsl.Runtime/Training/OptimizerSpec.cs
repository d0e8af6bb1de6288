using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// Which optimizer to build and its hyper-parameters, without the parameters themselves: the
/// Learner owns the model, groups its parameters by stage, and builds the TorchSharp optimizer
/// once (so its state can be checkpointed). The learning rate is not part of the spec because the
/// Learner's schedule sets it on every step.
/// </summary>
public abstract record OptimizerSpec
{
    public double WeightDecay { get; init; }

    /// <summary>
    /// Use the flat-buffer optimizer (<see cref="FusedSGD"/>, <see cref="FusedAdam"/>, <see cref="FusedAdamW"/>):
    /// the same maths, with the parameters and gradients in one contiguous buffer per dtype/device so a
    /// step is a handful of kernels per parameter group instead of several per parameter tensor.
    /// </summary>
    public bool Fused { get; init; }

    /// <summary>SGD with optional (Nesterov) momentum and L2 weight decay.</summary>
    public static SgdSpec SGD(double momentum = 0.9, bool nesterov = false, double weightDecay = 0, bool fused = false) =>
        new() { Momentum = momentum, Nesterov = nesterov, WeightDecay = weightDecay, Fused = fused };

    public static AdamSpec Adam(double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool fused = false) =>
        new() { Beta1 = beta1, Beta2 = beta2, Eps = eps, WeightDecay = weightDecay, Fused = fused };

    /// <summary>Adam with decoupled weight decay (the usual default for CNNs, fastai's default too).</summary>
    /// <summary>
    /// RMSprop (PyTorch's defaults: α 0.99, ε 1e-8; optional momentum, centred variant and L2 weight decay). It has no fused
    /// form: mixed precision (which needs one) refuses it.
    /// </summary>
    public static RmsPropSpec RMSprop(double alpha = 0.99, double eps = 1e-8, double momentum = 0, bool centered = false, double weightDecay = 0) =>
        new() { Alpha = alpha, Eps = eps, Momentum = momentum, Centered = centered, WeightDecay = weightDecay };

    public static AdamWSpec AdamW(double beta1 = 0.9, double beta2 = 0.99, double eps = 1e-5, double weightDecay = 0.01, bool fused = false) =>
        new() { Beta1 = beta1, Beta2 = beta2, Eps = eps, WeightDecay = weightDecay, Fused = fused };

    /// <summary>
    /// Your own optimizer: <paramref name="factory"/> builds any TorchSharp optimizer over the Learner's parameter groups (one per
    /// stage) at a starting rate, e.g. <c>(groups, lr) =&gt; optim.Adagrad(groups.Select(g =&gt; new Adagrad.ParamGroup(g, lr)), lr)</c>.
    /// The schedule, freezing and checkpoints drive it as they drive the built-in ones (<see cref="CustomOptimizerSpec"/>).
    /// </summary>
    public static CustomOptimizerSpec Custom(string name, Func<IReadOnlyList<IReadOnlyList<Parameter>>, double, OptimizerHelper> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        return new CustomOptimizerSpec(name, factory);
    }

    /// <summary>Builds the optimizer, one parameter group per entry of <paramref name="groups"/>, in order.</summary>
    internal abstract OptimizerHelper Build(IReadOnlyList<IReadOnlyList<Parameter>> groups, double lr);
}

public sealed record SgdSpec : OptimizerSpec
{
    public double Momentum { get; init; } = 0.9;
    public bool Nesterov { get; init; }

    internal override OptimizerHelper Build(IReadOnlyList<IReadOnlyList<Parameter>> groups, double lr) => Fused
        ? new FusedSGD(groups.Select(g => FusedSGD.Group(g, lr, Momentum, Nesterov, WeightDecay)))
        : optim.SGD(groups.Select(g => new SGD.ParamGroup(g, lr, Momentum, 0, WeightDecay, Nesterov, false)), lr, Momentum, 0, WeightDecay, Nesterov);
}

public sealed record AdamSpec : OptimizerSpec
{
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double Eps { get; init; } = 1e-8;

    internal override OptimizerHelper Build(IReadOnlyList<IReadOnlyList<Parameter>> groups, double lr) => Fused
        ? new FusedAdam(groups.Select(g => FusedAdam.Group(g, lr, Beta1, Beta2, Eps, WeightDecay)))
        : optim.Adam(groups.Select(g => new Adam.ParamGroup(g, lr, Beta1, Beta2, Eps, WeightDecay, false, false)), lr, Beta1, Beta2, Eps, WeightDecay);
}

public sealed record AdamWSpec : OptimizerSpec
{
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.99;
    public double Eps { get; init; } = 1e-5;

    internal override OptimizerHelper Build(IReadOnlyList<IReadOnlyList<Parameter>> groups, double lr) => Fused
        ? new FusedAdamW(groups.Select(g => FusedAdamW.Group(g, lr, Beta1, Beta2, Eps, WeightDecay)))
        : optim.AdamW(groups.Select(g => new AdamW.ParamGroup(g, lr, Beta1, Beta2, Eps, WeightDecay, false, false)), lr, Beta1, Beta2, Eps, WeightDecay);
}

public sealed record RmsPropSpec : OptimizerSpec
{
    public double Alpha { get; init; } = 0.99;
    public double Eps { get; init; } = 1e-8;
    public double Momentum { get; init; }
    public bool Centered { get; init; }

    internal override OptimizerHelper Build(IReadOnlyList<IReadOnlyList<Parameter>> groups, double lr) => Fused
        ? throw new NotSupportedException("RMSprop has no fused form (the flat-buffer optimizers are SGD, Adam and AdamW), and mixed precision needs one: train it in float32, or pick one of those.")
        : optim.RMSProp(groups.Select(g => new RMSProp.ParamGroup(g, lr, Eps, Alpha, WeightDecay, Momentum, Centered)), lr, Alpha, Eps, WeightDecay, Momentum, Centered);
}
