using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// What ModelDsl's own modules with parameters share (LayerNorm2d, LayerScale, PointwiseLinear, OutputPaddedConvTranspose2d):
/// PyTorch's <c>weight</c> and <c>bias</c>, registered under those names (the state_dict keys torchvision writes) and
/// re-registered when set — <c>Module.to()</c> moves a parameter by replacing it through its property, and a getter-only
/// property could not be set, a setter that did not register left optimizers and state_dict the old tensor — no field scan
/// (it would register the properties' backing fields a second time), and the input check of a layer over C×H×W maps.
/// </summary>
public abstract class WeightedModule : nn.Module<Tensor, Tensor>
{
    private Parameter? _weight, _bias;

    protected WeightedModule(string name) : base(name) { }

#pragma warning disable IDE1006 // PyTorch's names: the state_dict keys are "weight" and "bias"
    /// <summary>The layer's weight; null where it has none (a LayerNorm2d without affine parameters).</summary>
    public Parameter? weight
    {
        get => _weight;
        protected set { _weight = value; ConditionallyRegisterParameter(nameof(weight), value); }
    }

    /// <summary>The layer's bias; null where it has none.</summary>
    public Parameter? bias
    {
        get => _bias;
        protected set { _bias = value; ConditionallyRegisterParameter(nameof(bias), value); }
    }
#pragma warning restore IDE1006

    /// <summary>Does nothing: the constructor registers the parameters by name (TorchSharp's field scan would register the properties' backing fields again).</summary>
    protected override void RegisterComponents() { }

    /// <summary>Throws, naming the layer and both shapes, unless <paramref name="input"/> is N×<paramref name="channels"/>×H×W.</summary>
    protected static void CheckMap(Tensor input, long channels, string layer)
    {
        if (input.dim() != 4 || input.shape[1] != channels)
            throw new ArgumentException($"{layer} expects N×{channels}×H×W; got [{string.Join(", ", input.shape)}].", nameof(input));
    }
}
