using ModelDsl.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using TorchSharp;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// ConvTranspose2d with a rectangular output padding: PyTorch adds output_padding[0] rows and
/// output_padding[1] columns; TorchSharp 0.107's module adds the first value on both axes. The generated layer
/// must give PyTorch's shape and values, with PyTorch's parameter names.
/// </summary>
public class TransposedOutputPaddingTests
{
    [Theory]
    [InlineData(3, 3, 2, 3, 0, 1, 0, 2)]
    [InlineData(3, 2, 3, 2, 1, 0, 2, 1)]
    [InlineData(4, 3, 3, 3, 1, 1, 0, 2)]
    public void Rectangular_output_padding_equals_PyTorchs_full_transpose_cropped(int kh, int kw, int sh, int sw, int ph, int pw, int oph, int opw)
    {
        var run = GeneratorHarness.Run($$"""
            using ModelDsl;
            namespace Transposed
            {
                [Model(Channels = 2, Height = 5, Width = 4)]
                [ConvTranspose2d(3, KernelH = {{kh}}, KernelW = {{kw}}, StrideH = {{sh}}, StrideW = {{sw}}, PaddingH = {{ph}}, PaddingW = {{pw}}, OutputPaddingH = {{oph}}, OutputPaddingW = {{opw}}, Name = "Up")]
                public partial class Net;
            }
            """);
        Assert.DoesNotContain(run.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        var type = run.Load().GetType("Transposed.Net", throwOnError: true)!;
        long oh = (5 - 1) * sh - 2 * ph + (kh - 1) + oph + 1, ow = (4 - 1) * sw - 2 * pw + (kw - 1) + opw + 1;
        Assert.Equal(new Shape(3, oh, ow), (Shape)type.GetProperty("OutputShape")!.GetValue(null)!);

        using var scope = torch.NewDisposeScope();
        using var module = (torch.nn.Module<torch.Tensor, torch.Tensor>)Activator.CreateInstance(type)!;
        var layer = (OutputPaddedConvTranspose2d)type.GetProperty("Up")!.GetValue(module)!;
        var x = torch.randn(2, 2, 5, 4, generator: new torch.Generator(11));
        var actual = module.forward(x);

        // Reference by definition: the full transposed convolution (no padding), zero rows/columns appended for
        // the output padding, the padding cropped from both sides, then the bias.
        var full = torch.nn.functional.conv_transpose2d(x, layer.weight, null, new long[] { sh, sw });
        var extended = torch.nn.functional.pad(full, new long[] { 0, opw, 0, oph });
        var expected = extended[.., .., torch.TensorIndex.Slice(ph, ph + oh), torch.TensorIndex.Slice(pw, pw + ow)] + layer.bias!.view(1, -1, 1, 1);

        Assert.Equal(new long[] { 2, 3, oh, ow }, actual.shape);
        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-6), $"max difference {(actual - expected).abs().max().item<float>()}");
        Assert.Equal(new[] { "Up.weight", "Up.bias" }, module.named_parameters().Select(p => p.name).ToArray());
        Assert.Equal(new long[] { 2, 3, kh, kw }, layer.weight.shape);
        Assert.Equal((long)type.GetField("ParameterCount")!.GetValue(null)!, module.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void With_equal_output_paddings_it_equals_TorchSharps_own_module()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        var ours = new OutputPaddedConvTranspose2d(4, 6, (3, 2), (2, 3), (1, 0), (1, 1), (1, 2), groups: 2);
        var theirs = torch.nn.ConvTranspose2d(4, 6, (3, 2), stride: (2, 3), padding: (1, 0), output_padding: (1, 1), dilation: (1, 2), groups: 2);
        using (torch.no_grad()) { theirs.weight!.copy_(ours.weight); theirs.bias!.copy_(ours.bias!); }
        var x = torch.randn(3, 4, 6, 5);
        var a = ours.forward(x); var b = theirs.forward(x);
        Assert.Equal(b.shape, a.shape);
        Assert.True(a.allclose(b, rtol: 1e-5, atol: 1e-6));
    }
}
