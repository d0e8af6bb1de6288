using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// <c>nn.ConvTranspose2d</c> with a rectangular output padding (height ≠ width), computed as PyTorch computes
/// it. TorchSharp 0.107's ConvTranspose2d hands libtorch only the first output-padding value
/// (ConvolutionTranspose._output_padding returns <c>new[] { output_padding[0] }</c>), which libtorch then applies
/// to both axes, so (1, 2) became (1, 1) and the output one column narrower than PyTorch's. This module holds the
/// same parameters under the same names as <c>nn.ConvTranspose2d</c> (<c>weight</c> in×out/groups×kH×kW,
/// <c>bias</c>, PyTorch's default initialisation) — a state dict moves between the two unchanged — and calls
/// <c>conv_transpose2d</c> with both values. The generator emits it for exactly those layers.
/// </summary>
public sealed class OutputPaddedConvTranspose2d : WeightedModule
{
    private readonly long[] _stride, _padding, _outputPadding, _dilation;
    private readonly long _groups;

    public OutputPaddedConvTranspose2d(long inChannels, long outChannels, (long H, long W) kernel, (long H, long W) stride,
        (long H, long W) padding, (long H, long W) outputPadding, (long H, long W) dilation, long groups = 1, bool bias = true)
        : base(nameof(OutputPaddedConvTranspose2d))
    {
        _stride = new[] { stride.H, stride.W };
        _padding = new[] { padding.H, padding.W };
        _outputPadding = new[] { outputPadding.H, outputPadding.W };
        _dilation = new[] { dilation.H, dilation.W };
        _groups = groups;
        // TorchSharp's own module initialises the parameters exactly as PyTorch does (kaiming-uniform weight,
        // bias bounded by the fan-in); only its forward is wrong, so its parameters are adopted as this module's.
        using var reference = nn.ConvTranspose2d(inChannels, outChannels, kernel, stride: stride, padding: padding,
            output_padding: (0, 0), dilation: dilation, groups: groups, bias: bias);
        weight = new Parameter(reference.weight!.detach().clone());
        if (bias)
        {
            this.bias = new Parameter(reference.bias!.detach().clone());
        }
    }

    /// <summary>The kernel, in×(out/groups)×kH×kW as in <c>nn.ConvTranspose2d</c>.</summary>


    public override Tensor forward(Tensor input) =>
        nn.functional.conv_transpose2d(input, weight!, bias, _stride, _padding, _outputPadding, _dilation, _groups);
}
