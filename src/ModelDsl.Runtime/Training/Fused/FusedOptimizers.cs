using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// SGD with optional (Nesterov) momentum and L2 weight decay over a flat parameter buffer; the maths of
/// TorchSharp's <c>optim.SGD</c> with dampening 0 (first step: buffer = gradient; then
/// buf = momentum·buf + g; Nesterov: d = g + momentum·buf; p -= lr·d).
/// </summary>
public sealed class FusedSGD : FusedOptimizer
{
    public FusedSGD(IEnumerable<Parameter> parameters, double lr, double momentum = 0, bool nesterov = false, double weightDecay = 0)
        : this(new[] { Group(parameters, lr, momentum, nesterov, weightDecay) }) { }

    public FusedSGD(IEnumerable<FusedParamGroup> groups) : base(groups, stateBuffers: 1) { }

    /// <summary>A parameter group with its own hyper-parameters.</summary>
    public static FusedParamGroup Group(IEnumerable<Parameter> parameters, double lr, double momentum = 0, bool nesterov = false, double weightDecay = 0) =>
        new(parameters, new FusedOptions { LearningRate = lr, Momentum = momentum, Nesterov = nesterov, WeightDecay = weightDecay });

    private protected override void Validate(FusedOptions o)
    {
        if (o.Momentum < 0) throw new ArgumentException($"Invalid momentum value: {o.Momentum}");
        if (o.Nesterov && o.Momentum <= 0) throw new ArgumentException("Nesterov momentum requires a momentum.");
    }

    private protected override void Update(Run r, FusedOptions o, long t)
    {
        double lr = o.LearningRate!.Value, wd = o.WeightDecay, mom = o.Momentum;
        var d = wd != 0 ? r.G.add(r.P, alpha: wd) : r.G;
        if (mom != 0)
        {
            var buf = r.S[0];
            if (t == 1) buf.copy_(d);
            else buf.mul_(mom).add_(d);
            d = o.Nesterov ? d.add(buf, alpha: mom) : buf;
        }
        r.P.add_(d, alpha: -lr);
    }
}

/// <summary>
/// Adam (L2 weight decay added to the gradient) over a flat parameter buffer; the maths of TorchSharp's
/// <c>optim.Adam</c> without amsgrad: m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²;
/// p -= lr/(1-β1ᵗ) · m / (√v/√(1-β2ᵗ) + ε).
/// </summary>
public class FusedAdam : FusedOptimizer
{
    public FusedAdam(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : this(new[] { Group(parameters, lr, beta1, beta2, eps, weightDecay) }) { }

    public FusedAdam(IEnumerable<FusedParamGroup> groups) : base(groups, stateBuffers: 2) { }

    /// <summary>A parameter group with its own hyper-parameters.</summary>
    public static FusedParamGroup Group(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0) =>
        new(parameters, new FusedOptions { LearningRate = lr, Beta1 = beta1, Beta2 = beta2, Eps = eps, WeightDecay = weightDecay });

    /// <summary>True for AdamW: weight decay multiplies the parameters (p *= 1 - lr·wd) instead of adding to the gradient.</summary>
    private protected virtual bool Decoupled => false;

    private protected override void Validate(FusedOptions o)
    {
        if (o.Eps < 0) throw new ArgumentException($"Invalid ε: {o.Eps}");
        if (o.Beta1 < 0 || o.Beta1 >= 1) throw new ArgumentException($"Invalid beta1: {o.Beta1}");
        if (o.Beta2 < 0 || o.Beta2 >= 1) throw new ArgumentException($"Invalid beta2: {o.Beta2}");
    }

    private protected override void Update(Run r, FusedOptions o, long t)
    {
        double lr = o.LearningRate!.Value, wd = o.WeightDecay, b1 = o.Beta1, b2 = o.Beta2;
        var g = r.G;
        if (wd != 0)
        {
            if (Decoupled) r.P.mul_(1 - lr * wd);
            else g = g.add(r.P, alpha: wd);
        }
        double bc1 = 1 - Math.Pow(b1, t), bc2 = 1 - Math.Pow(b2, t);
        var m = r.S[0];
        var v = r.S[1];
        m.mul_(b1).add_(g, alpha: 1 - b1);
        v.mul_(b2).addcmul_(g, g, value: 1 - b2);
        var denom = v.sqrt();
        denom.div_(Math.Sqrt(bc2)).add_(o.Eps);
        r.P.addcdiv_(m, denom, value: -(lr / bc1));
    }
}

/// <summary>
/// AdamW (decoupled weight decay: p *= 1 - lr·wd before the Adam update) over a flat parameter buffer;
/// the maths of TorchSharp's <c>optim.AdamW</c> without amsgrad.
/// </summary>
public sealed class FusedAdamW : FusedAdam
{
    public FusedAdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01)
        : this(new[] { Group(parameters, lr, beta1, beta2, eps, weightDecay) }) { }

    public FusedAdamW(IEnumerable<FusedParamGroup> groups) : base(groups) { }

    private protected override bool Decoupled => true;
}
