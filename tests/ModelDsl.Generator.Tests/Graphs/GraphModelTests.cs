using System.Reflection;
using ModelDsl.Generator.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Generator.Tests.Graphs;

/// <summary>
/// Taps, Add and Concat: generated graph models compile without warnings, and their compile-time output
/// shape and parameter count are what TorchSharp's forward and parameters() give.
/// </summary>
public class GraphModelTests
{
    private const string UNet = """
        using ModelDsl;
        namespace Zoo;
        [Model(Channels = 1, Height = 16, Width = 16)]
        [Stage("Down1"), Conv2d(8, 3, Padding = 1), ReLU, Conv2d(8, 3, Padding = 1), ReLU, Tap("skip1")]
        [MaxPool2d(2)]
        [Stage("Down2"), Conv2d(16, 3, Padding = 1), ReLU, Tap("skip2")]
        [MaxPool2d(2)]
        [Stage("Bottom"), Conv2d(32, 3, Padding = 1), ReLU]
        [Stage("Up2"), ConvTranspose2d(16, 2, Stride = 2), Concat("skip2"), Conv2d(16, 3, Padding = 1), ReLU]
        [Stage("Up1"), ConvTranspose2d(8, 2, Stride = 2), Concat("skip1"), Conv2d(8, 3, Padding = 1), ReLU]
        [Conv2d(11, 1)]
        public partial class DigitUNet;
        """;

    private const string ResNetStem = """
        using ModelDsl;
        namespace Zoo;
        [Block, Residual(Then = Act.ReLU)]
        [Conv2d(Kernel = 3, Padding = 1), BatchNorm2d, ReLU, Conv2d(Kernel = 3, Padding = 1), BatchNorm2d]
        public partial class Res;

        [Model(Channels = 3, Height = 32, Width = 32)]
        [Conv2d(16, 3, Padding = 1), ReLU, Tap("stem")]
        [Use<Res>, Tap("after")]
        [Conv2d(32, 3, Stride = 2, Padding = 1), BatchNorm2d, ReLU, Add("stem", Projection = true), Add("after", Projection = true), ReLU]
        [Tap("x"), Add("x"), Concat("x")]
        [GlobalAvgPool, Flatten, Linear(10)]
        public partial class Skips;
        """;

    [Theory]
    [InlineData(UNet, "Zoo.DigitUNet")]
    [InlineData(ResNetStem, "Zoo.Skips")]
    public void Graph_models_compile_clean_and_match_TorchSharp(string source, string typeName)
    {
        var run = GeneratorHarness.Run(source);
        Assert.Null(run.GeneratorException);
        Assert.DoesNotContain(run.Mdsl, d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning);
        Assert.Empty(run.CompilationDiagnostics);
        var type = run.Load().GetType(typeName)!;
        var input = (Shape)type.GetProperty("InputShape")!.GetValue(null)!;
        var output = (Shape)type.GetProperty("OutputShape")!.GetValue(null)!;
        long count = (long)type.GetField("ParameterCount")!.GetValue(null)!;
        var layers = (IReadOnlyList<LayerInfo>)type.GetProperty("Layers")!.GetValue(null)!;

        using var module = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type)!;
        Assert.Equal(module.parameters().Sum(p => p.numel()), count);
        Assert.Equal(count, layers.Sum(l => l.Parameters));
        using var scope = NewDisposeScope();
        module.eval();
        using var noGrad = no_grad();
        var y = module.forward(randn(input.WithBatch(2)));
        Assert.Equal(output.WithBatch(2), y.shape);
    }

    [Fact]
    public void UNet_shapes_channels_and_summary_follow_the_skips()
    {
        var run = GeneratorHarness.Run(UNet);
        var type = run.Load().GetType("Zoo.DigitUNet")!;
        Assert.Equal(new Shape(11, 16, 16), (Shape)type.GetProperty("OutputShape")!.GetValue(null)!);
        var layers = (IReadOnlyList<LayerInfo>)type.GetProperty("Layers")!.GetValue(null)!;
        // Concat is no module: the conv after it sees 16 + 16 channels.
        Assert.DoesNotContain(layers, l => l.Kind is "Concat" or "Tap");
        string summary = (string)type.GetField("Summary")!.GetValue(null)!;
        Assert.Contains("Connected to", summary);
        // The receptive field column, as the course computes it: the up-convolution halves the jump, the merge keeps the larger field.
        Assert.Matches(@"Concat1 \(Concat\)\s+Up2\s+32×8×8\s+0\s+0\s+22×22 \(2×2\)\s+ConvT1, Relu3", summary);
        Assert.Matches(@"Concat2 \(Concat\)\s+Up1\s+16×16×16\s+0\s+0\s+27×27 \(1×1\)\s+ConvT2, Relu2", summary);
        Assert.Contains("Receptive field of the output: 29×29 (1×1)", summary);
        string generated = run.Source("Zoo.DigitUNet.g.cs");
        Assert.Contains("var tap1 = x; // Tap(\"skip1\")", generated);
        Assert.Contains("global::ModelDsl.ForwardSteps.Concat(x, tap2, disposeCurrent: true, disposeTap: true)", generated);
    }

    [Fact]
    public void Snapshot_of_a_UNet_with_stages_and_skips()
    {
        var run = GeneratorHarness.Run(UNet);
        Assert.Empty(run.Mdsl);
        Snapshot.Match("Zoo.DigitUNet", run.Source("Zoo.DigitUNet.g.cs"));
    }

    [Fact]
    public void Forward_keeps_the_tapped_tensors_alive_until_their_merge()
    {
        // Values, not only shapes: the generated forward equals the same net written by hand.
        var run = GeneratorHarness.Run(UNet);
        var type = run.Load().GetType("Zoo.DigitUNet")!;
        using var net = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type)!;
        net.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = randn(2, 1, 16, 16);
        Tensor M(string name, Tensor t) => ((nn.Module<Tensor, Tensor>)type.GetProperty(name)!.GetValue(net)!).forward(t);
        var s1 = M("Relu2", M("Conv2", M("Relu1", M("Conv1", x))));
        var s2 = M("Relu3", M("Conv3", M("MaxPool1", s1)));
        var b = M("Relu4", M("Conv4", M("MaxPool2", s2)));
        var u2 = M("Relu5", M("Conv5", cat(new[] { M("ConvT1", b), s2 }, 1)));
        var u1 = M("Relu6", M("Conv6", cat(new[] { M("ConvT2", u2), s1 }, 1)));
        var expected = M("Conv7", u1);
        Assert.True(allclose(expected, net.forward(x)));
    }
}
