using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// <c>nn.ELU(alpha)</c> whose numbers are libtorch Scalars owned by the module for its whole life. TorchSharp 0.107's
/// <c>nn.ELU</c> turns alpha (and the scale and input scale of 1) into temporary Scalars on every forward and passes
/// only their handles to libtorch; a garbage collection during the call lets the finalizer free them while libtorch
/// reads them — the intermittent "toFloat" crash inside ELU during image-folder training
/// (docs/upstream/torchsharp-scalar-lifetime.md). The generator emits this module for every <c>[ELU]</c>.
/// </summary>
public sealed class EluActivation : ScalarOwningModule
{
    private readonly Scalar _alpha, _one;

    public EluActivation(double alpha = 1.0) : base("ELU")
    {
        Alpha = alpha;
        _alpha = Own(alpha);
        _one = Own(1.0);
    }

    /// <summary>The α of ELU(x) = x for x &gt; 0, α·(exp(x) − 1) otherwise.</summary>
    public double Alpha { get; }

    public override Tensor forward(Tensor input) => input.elu(_alpha, _one, _one);
}
