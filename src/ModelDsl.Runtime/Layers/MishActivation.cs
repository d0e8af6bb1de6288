using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// <c>nn.Mish()</c>: x · tanh(softplus(x)). TorchSharp 0.107's <c>nn.Mish</c> calls its softplus with .NET doubles, which
/// become temporary Scalars per call (<see cref="EluActivation"/> explains why that crashes under GC pressure); this one
/// uses <see cref="SoftplusActivation"/>'s formula with Scalars it owns. The generator emits it for every <c>[Mish]</c>.
/// </summary>
public sealed class MishActivation : ScalarOwningModule
{
    private readonly Scalar _one, _twenty;

    public MishActivation() : base("Mish")
    {
        _one = Own(1.0);
        _twenty = Own(20.0);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return input.mul(SoftplusActivation.Compute(input, _one, _twenty).tanh()).MoveToOuterDisposeScope();
    }
}
