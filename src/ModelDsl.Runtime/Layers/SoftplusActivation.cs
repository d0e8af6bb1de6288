using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// <c>nn.Softplus(beta, threshold)</c>: log(1 + exp(β·x)) / β, and x where β·x &gt; threshold — PyTorch's formula, with
/// its β and threshold as libtorch Scalars owned by the module. TorchSharp 0.107 offers softplus only with .NET doubles,
/// which it turns into temporary Scalars per call (freed mid-call under GC pressure, <see cref="EluActivation"/>), so it
/// is composed here from public operations; β·x is clamped at the threshold before <c>exp</c>, so the branch not taken
/// never overflows and its gradient stays 0, not NaN. The generator emits this module for every <c>[Softplus]</c>.
/// </summary>
public sealed class SoftplusActivation : ScalarOwningModule
{
    private readonly Scalar _beta, _threshold;

    public SoftplusActivation(double beta = 1.0, double threshold = 20.0) : base("Softplus")
    {
        if (!(beta > 0)) throw new ArgumentException($"Softplus needs beta > 0; got {beta}.");
        Beta = beta;
        Threshold = threshold;
        _beta = Own(beta);
        _threshold = Own(threshold);
    }

    public double Beta { get; }
    public double Threshold { get; }

    public override Tensor forward(Tensor input) => Compute(input, _beta, _threshold);

    /// <summary>softplus(x) with kept Scalars: where(β·x &gt; threshold, x, log1p(exp(min(β·x, threshold))) / β).</summary>
    internal static Tensor Compute(Tensor x, Scalar beta, Scalar threshold)
    {
        using var scope = NewDisposeScope();
        var bx = x.mul(beta);
        var smooth = bx.clamp_max(threshold).exp().log1p().div(beta); // not in place: exp's backward needs its output
        return where(bx.gt(threshold), x, smooth).MoveToOuterDisposeScope();
    }
}
