using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// <c>nn.Conv2d(padding='same', padding_mode=…)</c> for an even effective kernel and a padding mode
/// other than zeros, computed as PyTorch computes it: the input padded by total = dilation·(kernel − 1)
/// per axis, total/2 before and the rest after, then a padding-free convolution. TorchSharp 0.107's own
/// 'same' path pads such kernels along the wrong axes (its Convolution.UpdateReversedPaddingArray writes
/// the height's padding into the width's slots), which changes the output shape of a rectangular kernel;
/// the generator emits this module for exactly those layers. The weights sit in <see cref="Conv"/>.
/// </summary>
public sealed class SamePaddedConv2d : nn.Module<Tensor, Tensor>
{
    // In torch.nn.functional.pad's order: last axis first (left, right, top, bottom).
    private readonly long[] _padding;
    private readonly PaddingModes _paddingMode;

    public SamePaddedConv2d(long inChannels, long outChannels, (long H, long W) kernel, (long H, long W) dilation,
        PaddingModes paddingMode, long groups = 1, bool bias = true) : base(nameof(SamePaddedConv2d))
    {
        var (top, bottom) = ShapeMath.SamePadding(kernel.H, dilation.H);
        var (left, right) = ShapeMath.SamePadding(kernel.W, dilation.W);
        _padding = new[] { left, right, top, bottom };
        _paddingMode = paddingMode;
        Conv = nn.Conv2d(inChannels, outChannels, kernel, stride: (1, 1), padding: (0, 0), dilation: dilation, groups: groups, bias: bias);
        register_module("conv", Conv);
    }

    /// <summary>The padding-free convolution that follows the explicit padding.</summary>
    public Conv2d Conv { get; }

    /// <summary>
    /// Does nothing: the constructor registers this module's tensors by name. TorchSharp calls this when the module
    /// is registered into a model, and its field scan would register the property's backing field a second time.
    /// </summary>
    protected override void RegisterComponents() { }

    public override Tensor forward(Tensor input)
    {
        using var padded = nn.functional.pad(input, _padding, _paddingMode);
        return Conv.call(padded); // call: hooks on the inner conv fire
    }
}
