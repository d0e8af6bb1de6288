using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// torchvision's <c>ops.StochasticDepth(p, mode)</c>: in training, each sample's input (mode "row") or the whole batch's
/// ("batch") is zeroed with probability p and the rest scaled by 1/(1 − p); in eval mode, or with p = 0, the identity.
/// The scale is a Scalar owned by the module (EluActivation says why). The generator emits it for every <c>[StochasticDepth]</c>.
/// </summary>
public sealed class StochasticDepth : ScalarOwningModule
{
    private readonly Scalar _survivalScale;

    public StochasticDepth(double p, bool rowMode = true) : base(nameof(StochasticDepth))
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "StochasticDepth needs a drop probability in [0, 1).");
        P = p;
        RowMode = rowMode;
        _survivalScale = Own(1 / (1 - p));
    }

    public double P { get; }
    public bool RowMode { get; }

    public override Tensor forward(Tensor input)
    {
        if (!training || P == 0) return input.alias();
        using var scope = NewDisposeScope();
        var shape = RowMode ? new[] { input.shape[0] }.Concat(Enumerable.Repeat(1L, (int)input.dim() - 1)).ToArray() : Enumerable.Repeat(1L, (int)input.dim()).ToArray();
        var keep = empty(shape, input.dtype, input.device).bernoulli_(1 - P).mul_(_survivalScale);
        return input.mul(keep).MoveToOuterDisposeScope();
    }
}
