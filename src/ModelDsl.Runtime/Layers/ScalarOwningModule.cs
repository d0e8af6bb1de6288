using ModelDsl.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// A module whose numbers are libtorch Scalars it owns for its whole life (<see cref="Own"/>), freed when it is disposed.
/// Why: TorchSharp 0.107 turns a .NET number into a temporary Scalar per call and hands libtorch only its handle, so a
/// garbage collection during the call can free it while libtorch reads it (<see cref="KeptScalars"/>,
/// docs/upstream/torchsharp-scalar-lifetime.md). The activations and StochasticDepth that take numbers derive from it.
/// </summary>
public abstract class ScalarOwningModule : nn.Module<Tensor, Tensor>
{
    private readonly KeptScalars _scalars = new();

    protected ScalarOwningModule(string name) : base(name) { }

    /// <summary><paramref name="value"/> as a Scalar that lives as long as this module.</summary>
    protected Scalar Own(double value) => _scalars.Of(value);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _scalars.Dispose();
        base.Dispose(disposing);
    }
}
