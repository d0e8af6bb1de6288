using ModelDsl.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using TorchSharp;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// padding='same' with an even kernel and a padding mode: PyTorch pads total = dilation·(k−1) per axis,
/// total/2 before and the rest after, then convolves without padding. The generated layer must give
/// that result exactly — shape and values — on a rectangular kernel, where TorchSharp's own Same path
/// would pad the wrong axes.
/// </summary>
public class SamePaddingTests
{
    [Theory]
    [InlineData("Reflect", 4, 2, 1)]
    [InlineData("Replicate", 2, 5, 1)]
    [InlineData("Circular", 4, 3, 1)]
    [InlineData("Reflect", 3, 2, 3)]
    public void Even_kernel_same_padding_with_a_padding_mode_equals_PyTorchs_pad_then_conv(string mode, int kh, int kw, int dilation)
    {
        var run = GeneratorHarness.Run($$"""
            using ModelDsl;
            namespace Same
            {
                [Model(Channels = 2, Height = 9, Width = 7)]
                [Conv2d(3, KernelH = {{kh}}, KernelW = {{kw}}, Dilation = {{dilation}}, Padding = Pad.Same, PaddingMode = PaddingMode.{{mode}}, Name = "Conv")]
                public partial class Net;
            }
            """);
        Assert.DoesNotContain(run.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        var type = run.Load().GetType("Same.Net", throwOnError: true)!;
        Assert.Equal(new Shape(3, 9, 7), (Shape)type.GetProperty("OutputShape")!.GetValue(null)!);

        using var scope = torch.NewDisposeScope();
        using var module = (torch.nn.Module<torch.Tensor, torch.Tensor>)Activator.CreateInstance(type)!;
        var layer = (SamePaddedConv2d)type.GetProperty("Conv")!.GetValue(module)!;
        var x = torch.randn(2, 2, 9, 7, generator: new torch.Generator(7));
        var actual = module.forward(x);

        long totalH = dilation * (kh - 1), totalW = dilation * (kw - 1);
        var padMode = Enum.Parse<PaddingModes>(mode);
        var padded = torch.nn.functional.pad(x, new[] { totalW / 2, totalW - totalW / 2, totalH / 2, totalH - totalH / 2 }, padMode);
        var expected = torch.nn.functional.conv2d(padded, layer.Conv.weight, layer.Conv.bias, dilation: new long[] { dilation, dilation });

        Assert.Equal(new long[] { 2, 3, 9, 7 }, actual.shape);
        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-6), $"max difference {(actual - expected).abs().max().item<float>()}");
        Assert.Equal((long)type.GetField("ParameterCount")!.GetValue(null)!, module.parameters().Sum(p => p.numel()));
    }
}
