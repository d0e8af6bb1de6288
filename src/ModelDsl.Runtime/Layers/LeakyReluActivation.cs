using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// <c>nn.LeakyReLU(negative_slope)</c> whose slope is a libtorch Scalar owned by the module for its whole life, for
/// the reason <see cref="EluActivation"/> gives: TorchSharp's module makes a temporary Scalar per forward that a
/// garbage collection can free during the native call. The generator emits this module for every <c>[LeakyReLU]</c>.
/// </summary>
public sealed class LeakyReluActivation : ScalarOwningModule
{
    private readonly Scalar _slope;

    public LeakyReluActivation(double negativeSlope = 0.01) : base("LeakyReLU")
    {
        NegativeSlope = negativeSlope;
        _slope = Own(negativeSlope);
    }

    /// <summary>The slope for x &lt; 0.</summary>
    public double NegativeSlope { get; }

    public override Tensor forward(Tensor input) => input.leaky_relu(_slope);
}
