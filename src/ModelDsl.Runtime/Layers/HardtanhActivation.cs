using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// <c>nn.Hardtanh(min_val, max_val)</c>: x clamped to [min, max], its bounds libtorch Scalars owned by the module (as
/// <see cref="EluActivation"/> explains). Not TorchSharp's <c>nn.Hardtanh</c>: in 0.107 its <c>Tensor.hardtanh</c> calls
/// the native function and returns its own input unchanged (the result is dropped), so that module is the identity.
/// The generator emits this module for every <c>[Hardtanh]</c>.
/// </summary>
public sealed class HardtanhActivation : ScalarOwningModule
{
    private readonly Scalar _min, _max;

    public HardtanhActivation(double minVal = -1.0, double maxVal = 1.0) : base("Hardtanh")
    {
        if (!(minVal < maxVal)) throw new ArgumentException($"Hardtanh needs min_val < max_val; got {minVal} and {maxVal}.");
        MinVal = minVal;
        MaxVal = maxVal;
        _min = Own(minVal);
        _max = Own(maxVal);
    }

    public double MinVal { get; }
    public double MaxVal { get; }

    public override Tensor forward(Tensor input) => input.clamp(_min, _max);
}
