using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using static ModelDsl.Generator.Tests.Infrastructure.ExpectedDiagnostics;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Generator.Tests.Graphs;

/// <summary>
/// Models declared with Channels alone: the accepted sizes in words, OutputShapeFor and forward at several
/// accepted sizes against TorchSharp, the runtime guard naming the nearest sizes, MDSL0037 when none works.
/// </summary>
public class AnySizeModelTests
{
    private const string UNet = """
        using ModelDsl;
        namespace Zoo;
        [Model(Channels = 1)]
        [Stage("Down1"), Conv2d(8, 3, Padding = 1), ReLU, Tap("skip1")]
        [MaxPool2d(2)]
        [Stage("Down2"), Conv2d(16, 3, Padding = 1), ReLU, Tap("skip2")]
        [MaxPool2d(2)]
        [Stage("Bottom"), Conv2d(32, 3, Padding = 1), ReLU]
        [Stage("Up2"), ConvTranspose2d(16, 2, Stride = 2), Concat("skip2"), Conv2d(16, 3, Padding = 1), ReLU]
        [Stage("Up1"), ConvTranspose2d(8, 2, Stride = 2), Concat("skip1"), Conv2d(8, 3, Padding = 1), ReLU]
        [Conv2d(11, 1)]
        public partial class AnyUNet;
        """;

    // AnyClassifier: ⌈n/2⌉ must leave the reflect-padded conv more than 1 and the ceil-mode pool at least 2: n ≥ 5.
    // The course's FCN idea: a classifier's head as convolutions, so a larger image gives a map of class scores.
    private const string Fcn = """
        using ModelDsl;
        namespace Zoo;
        [Model(Channels = 3)]
        [Conv2d(16, 5), ReLU, MaxPool2d(2), Conv2d(32, 5), ReLU, MaxPool2d(2)]
        [Conv2d(64, 5), ReLU, Conv2d(10, 1)]
        public partial class Fcn;

        [Model(Channels = 3)]
        [Conv2d(16, 3, Stride = 2, Padding = 1), ReLU, Tap("a"), Conv2d(32, 3, Stride = 2, Padding = 1, PaddingMode = PaddingMode.Reflect), ReLU]
        [Add("a", Projection = true), MaxPool2d(3, Stride = 2, CeilMode = true), Upsample(ScaleFactor = 2), GlobalAvgPool, Flatten, Linear(10)]
        public partial class AnyClassifier;
        """;

    [Fact]
    public void A_UNet_accepts_multiples_of_4_and_its_forward_matches_OutputShapeFor_at_several_sizes()
    {
        var type = Load(UNet, "Zoo.AnyUNet");
        Assert.Equal("H, W = 4, 8, 12, … (multiples of 4)", (string)type.GetField("Accepts")!.GetValue(null)!);
        Assert.Null(type.GetProperty("InputShape"));
        using var net = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type)!;
        Assert.Equal((long)type.GetField("ParameterCount")!.GetValue(null)!, net.parameters().Sum(p => p.numel()));
        foreach (var (h, w) in new[] { (4L, 4L), (12L, 20L), (64L, 32L) })
            Assert.Equal(OutputFor(type, new Shape(1, h, w)).WithBatch(2), Forward(net, 2, 1, h, w));
        Assert.Equal(new Shape(11, 12, 20), OutputFor(type, new Shape(1, 12, 20)));
        Assert.Contains("Accepts 1×H×W, H, W = 4, 8, 12, … (multiples of 4); shapes below at 1×64×64", (string)type.GetField("Summary")!.GetValue(null)!);
    }

    [Fact]
    public void A_size_that_does_not_work_is_refused_with_the_nearest_that_do()
    {
        var type = Load(UNet, "Zoo.AnyUNet");
        using var net = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type)!;
        using var x = zeros(2, 1, 30, 32);
        var e = Assert.Throws<ArgumentException>(() => net.forward(x));
        Assert.Equal("AnyUNet expects N×1×H×W with H, W = 4, 8, 12, … (multiples of 4) but got 2×1×30×32: H = 30 does not work, the nearest that work are 28 and 32. (Parameter 'input')", e.Message);
        var shapeError = Assert.Throws<System.Reflection.TargetInvocationException>(() => OutputFor(type, new Shape(1, 8, 2)));
        Assert.Contains("W = 2 does not work, the nearest that works is 4", shapeError.InnerException!.Message);
        using var rgb = zeros(1, 3, 8, 8);
        Assert.Contains("3 channels instead of 1", Assert.Throws<ArgumentException>(() => net.forward(rgb)).Message);
    }

    [Theory]
    [InlineData("Zoo.Fcn", "H, W = any size ≥ 32")]
    [InlineData("Zoo.AnyClassifier", "H, W = any size ≥ 5")]
    public void Fully_convolutional_nets_run_at_three_accepted_sizes(string name, string accepts)
    {
        var type = Load(Fcn, name);
        Assert.Equal(accepts, (string)type.GetField("Accepts")!.GetValue(null)!);
        using var net = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type)!;
        Assert.Equal((long)type.GetField("ParameterCount")!.GetValue(null)!, net.parameters().Sum(p => p.numel()));
        var input = (AnySizeInput)type.GetProperty("AcceptedInput")!.GetValue(null)!;
        var sizes = input.AcceptedHeights.Sizes;
        foreach (long size in new[] { sizes[0], sizes[1], sizes[0] + 37 })
            Assert.Equal(OutputFor(type, new Shape(3, size, size + 4)).WithBatch(1), Forward(net, 1, 3, size, size + 4));
        // Below the smallest accepted size the guard refuses, as libtorch itself would.
        Assert.Throws<ArgumentException>(() => { using var x = zeros(1, 3, sizes[0] - 1, sizes[0]); net.forward(x).Dispose(); });
    }

    [Theory]
    [InlineData("UNet", "Zoo.AnyUNet.g.cs")]
    [InlineData("Fcn", "Zoo.Fcn.g.cs")]
    public void Snapshots_of_an_any_size_UNet_and_an_FCN(string source, string hintName)
    {
        var run = GeneratorHarness.Run(source == "UNet" ? UNet : Fcn);
        Assert.Empty(run.Mdsl);
        Snapshot.Match(hintName.Replace(".g.cs", ""), run.Source(hintName));
    }

    [Fact]
    public void An_FCN_turns_a_larger_image_into_a_map_of_class_scores()
    {
        var type = Load(Fcn, "Zoo.Fcn");
        Assert.Equal(new Shape(10, 1, 1), OutputFor(type, new Shape(3, 32, 32)));
        Assert.Equal(new Shape(10, 9, 17), OutputFor(type, new Shape(3, 64, 96)));
    }

    [Fact]
    public void MDSL0037_a_Linear_after_a_Flatten_of_a_map_whose_size_follows_the_input()
    {
        var d = SingleError("""
            using ModelDsl;
            [Model(Channels = 3)]
            [Conv2d(8, 3), ReLU, MaxPool2d(2), Flatten, Linear(10)]
            public partial class NoPool;
            """, "MDSL0037");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("'NoPool' accepts no input size: Flatten 'Flatten1' receives a feature map whose height and width follow the input's (H, W = any size ≥ 4), "
            + "so what comes after it (a Linear's in_features) cannot be fixed. Add [GlobalAvgPool] or [AdaptiveAvgPool2d(h, w)] before it, or give Height and Width in [Model]", d.GetMessage());
        Assert.Equal("Flatten", SpanText(d));
    }

    [Fact]
    public void MDSL0037_a_concat_that_no_size_can_satisfy_names_the_merge_and_the_sizes()
    {
        var d = SingleError("""
            using ModelDsl;
            [Model(Channels = 1)]
            [Tap("in"), Conv2d(4, 3, Stride = 2), Concat("in")]
            public partial class Never;
            """, "MDSL0037");
        Assert.Equal("'Never' accepts no input size: Concat 'Concat1' needs the height it receives (1) to equal the tapped one (3), which no input height gives (at most 4096 tried)", d.GetMessage());
        Assert.Equal("Never", SpanText(d));
    }

    private static Type Load(string source, string name)
    {
        var run = GeneratorHarness.Run(source);
        Assert.Null(run.GeneratorException);
        Assert.DoesNotContain(run.Mdsl, d => d.Severity >= DiagnosticSeverity.Warning);
        Assert.Empty(run.CompilationDiagnostics);
        return run.Load().GetType(name)!;
    }

    private static Diagnostic SingleError(string source, string id) => ExpectedDiagnostics.OnlyError(source, id);

    private static Shape OutputFor(Type type, Shape input) => (Shape)type.GetMethod("OutputShapeFor")!.Invoke(null, new object[] { input })!;

    private static long[] Forward(nn.Module<Tensor, Tensor> net, long n, long c, long h, long w)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        net.eval();
        return net.forward(randn(n, c, h, w)).shape;
    }
}
