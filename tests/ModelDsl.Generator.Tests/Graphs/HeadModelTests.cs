using System.Reflection;
using ModelDsl.Generator.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Generator.Tests.Graphs;

/// <summary>
/// Heads: a model with several outputs is a Module&lt;Tensor, {Model}Output&gt;; each head has its shape constant,
/// its stage and its property in the record, all equal to what TorchSharp's forward gives, and forward disposes
/// every intermediate while returning each head's tensor alive.
/// </summary>
public class HeadModelTests
{
    private const string Detector = """
        using ModelDsl;
        namespace Zoo;
        [Model(Channels = 1, Height = 32, Width = 32)]
        [Stage("Backbone"), Conv2d(8, 3, Padding = 1), ReLU, MaxPool2d(2), Tap("early"), Conv2d(16, 3, Padding = 1), ReLU, MaxPool2d(2), Tap("features")]
        [Head("Classes", From = "features"), Conv2d(11, 1)]
        [Head("Boxes", From = "features"), Conv2d(8, 3, Padding = 1), Tap("inner"), ReLU, Add("inner"), Conv2d(5, 1), Sigmoid]
        [Head("Score", From = "early"), GlobalAvgPool, Flatten, Linear(3)]
        public partial class Detector;
        """;

    private static Type Load(string source, string typeName, out GeneratorRun run)
    {
        run = GeneratorHarness.Run(source);
        Assert.Null(run.GeneratorException);
        Assert.DoesNotContain(run.Mdsl, d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning);
        Assert.Empty(run.CompilationDiagnostics);
        return run.Load().GetType(typeName)!;
    }

    private static Shape Static(Type type, string name) => (Shape)type.GetProperty(name)!.GetValue(null)!;

    [Fact]
    public void Each_head_has_its_shape_constant_stage_and_record_property_equal_to_TorchSharp()
    {
        var type = Load(Detector, "Zoo.Detector", out _);
        Assert.Null(type.GetProperty("OutputShape"));
        Assert.Equal(new Shape(11, 8, 8), Static(type, "ClassesShape"));
        Assert.Equal(new Shape(5, 8, 8), Static(type, "BoxesShape"));
        Assert.Equal(new Shape(3), Static(type, "ScoreShape"));
        var outputType = type.Assembly.GetType("Zoo.DetectorOutput")!;
        Assert.True(outputType.IsValueType);
        Assert.Equal(new[] { "Classes", "Boxes", "Score" }, outputType.GetConstructors().Single().GetParameters().Select(p => p.Name));

        using var net = (nn.Module)Activator.CreateInstance(type)!;
        long count = (long)type.GetField("ParameterCount")!.GetValue(null)!;
        var layers = (IReadOnlyList<LayerInfo>)type.GetProperty("Layers")!.GetValue(null)!;
        Assert.Equal(count, net.parameters().Sum(p => p.numel()));
        Assert.Equal(count, layers.Sum(l => l.Parameters));
        // Each head is a stage: its Sequential holds exactly the head's layers, so it can be frozen or get its own learning rate.
        foreach (var head in new[] { "Backbone", "Classes", "Boxes", "Score" })
        {
            var stage = (nn.Module)type.GetProperty(head)!.GetValue(net)!;
            Assert.Equal(layers.Where(l => l.Stage == head).Sum(l => l.Parameters), stage.parameters().Sum(p => p.numel()));
        }
        Assert.Equal(new[] { "Conv3" }, layers.Where(l => l.Stage == "Classes").Select(l => l.Name));

        net.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var output = Forward(type, net, randn(2, 1, 32, 32));
        Assert.Equal(new long[] { 2, 11, 8, 8 }, output.Heads[0].shape);
        Assert.Equal(new long[] { 2, 5, 8, 8 }, output.Heads[1].shape);
        Assert.Equal(new long[] { 2, 3 }, output.Heads[2].shape);
        Assert.Equal(new[] { "Classes", "Boxes", "Score" }, output.HeadNames);
        Assert.Same(output.Heads[1], outputType.GetProperty("Boxes")!.GetValue(output));
        // Sigmoid on the boxes head: every value in (0, 1).
        Assert.True(output.Heads[1].gt(0).all().item<bool>() && output.Heads[1].lt(1).all().item<bool>());
    }

    private static IModelOutput Forward(Type type, nn.Module net, Tensor input)
        => (IModelOutput)type.GetMethod("forward", new[] { typeof(Tensor) })!.Invoke(net, new object[] { input })!;

    [Fact]
    public void Forward_equals_the_heads_written_by_hand()
    {
        var type = Load(Detector, "Zoo.Detector", out _);
        using var net = (nn.Module)Activator.CreateInstance(type)!;
        net.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor M(string name, Tensor t) => ((nn.Module<Tensor, Tensor>)type.GetProperty(name)!.GetValue(net)!).forward(t);
        var x = randn(2, 1, 32, 32);
        var early = M("MaxPool1", M("Relu1", M("Conv1", x)));
        var features = M("MaxPool2", M("Relu2", M("Conv2", early)));
        var classes = M("Conv3", features);
        var inner = M("Conv4", features);
        var boxes = M("Sigmoid1", M("Conv5", M("Relu3", inner).add(inner)));
        var score = M("Linear1", M("Flatten1", M("GlobalPool1", early)));
        var output = Forward(type, net, x);
        Assert.True(allclose(classes, output.Heads[0]));
        Assert.True(allclose(boxes, output.Heads[1]));
        Assert.True(allclose(score, output.Heads[2]));
    }

    [Fact]
    public void Forward_disposes_every_intermediate_but_returns_each_head_alive_and_never_the_input()
    {
        var type = Load(Detector, "Zoo.Detector", out var run);
        using var net = (nn.Module)Activator.CreateInstance(type)!;
        net.eval();
        using var noGrad = no_grad();
        using var input = randn(2, 1, 32, 32);
        using (var scope = NewDisposeScope())
        {
            var output = Forward(type, net, input);
            // Only the three heads' tensors are alive in the scope: every tap, the trunk's end and each head's
            // intermediates were disposed by forward itself.
            Assert.Equal(3, scope.DisposablesCount);
            Assert.All(output.Heads, h => Assert.False(h.IsInvalid));
            Assert.Equal(5, output.Heads[1].shape[1]);
        }
        Assert.False(input.IsInvalid);
        Assert.Contains("return new DetectorOutput(head1, head2, head3);", run.Source("Zoo.Detector.g.cs"));
    }

    [Fact]
    public void Summary_and_Layers_show_the_heads_and_where_each_starts()
    {
        var type = Load(Detector, "Zoo.Detector", out _);
        string summary = (string)type.GetField("Summary")!.GetValue(null)!;
        Assert.Contains("Detector: 1×32×32 -> Classes 11×8×8, Boxes 5×8×8, Score 3", summary);
        Assert.Matches(@"Classes \(Head\)\s+Classes\s+16×8×8\s+\d+×\d+ \(\d+×\d+\)\s+MaxPool2 \(tap 'features'\)", summary);
        Assert.Matches(@"Score \(Head\)\s+Score\s+8×16×16\s+\d+×\d+ \(\d+×\d+\)\s+MaxPool1 \(tap 'early'\)", summary);
        // The head's first layer reads the tapped layer's output.
        Assert.Matches(@"Conv3 \(Conv2d\)\s+Classes\s+11×8×8\s+187\s+[\d,]+\s+\d+×\d+ \(\d+×\d+\)\s+MaxPool2", summary);
        var layers = (IReadOnlyList<LayerInfo>)type.GetProperty("Layers")!.GetValue(null)!;
        Assert.Equal(new Shape(5, 8, 8), layers.Single(l => l.Name == "Conv5").OutputShape);
        Assert.DoesNotContain(layers, l => l.Kind == "Head");
    }

    private const string AnySize = """
        using ModelDsl;
        namespace Zoo;
        [Model(Channels = 3)]
        [Conv2d(8, 3, Padding = 1), ReLU, Tap("full"), MaxPool2d(2), Conv2d(16, 3, Padding = 1), ReLU, Tap("half")]
        [Head("Mask", From = "half"), ConvTranspose2d(4, 2, Stride = 2), Concat("full"), Conv2d(2, 1)]
        [Head("Label", From = "half"), GlobalAvgPool, Flatten, Linear(10)]
        [Head("Coarse", From = "half"), MaxPool2d(2), Conv2d(6, 1)]
        public partial class AnyHeads;
        """;

    [Fact]
    public void Any_size_heads_have_ShapeFor_functions_equal_to_forward_at_several_accepted_sizes()
    {
        var type = Load(AnySize, "Zoo.AnyHeads", out var run);
        Assert.Equal("H, W = 4, 6, 8, … (multiples of 2)", (string)type.GetField("Accepts")!.GetValue(null)!);
        using var net = (nn.Module)Activator.CreateInstance(type)!;
        net.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (h, w) in new[] { (4L, 4L), (10L, 22L), (64L, 32L) })
        {
            var input = new Shape(3, h, w);
            var output = Forward(type, net, randn(1, 3, h, w));
            string[] heads = { "Mask", "Label", "Coarse" };
            for (int k = 0; k < heads.Length; k++)
            {
                var expected = (Shape)type.GetMethod(heads[k] + "ShapeFor")!.Invoke(null, new object[] { input })!;
                Assert.Equal(expected.WithBatch(1), output.Heads[k].shape);
            }
        }
        Assert.Equal(new Shape(2, 10, 22), (Shape)type.GetMethod("MaskShapeFor")!.Invoke(null, new object[] { new Shape(3, 10, 22) })!);
        Assert.Equal(new Shape(6, 2, 5), (Shape)type.GetMethod("CoarseShapeFor")!.Invoke(null, new object[] { new Shape(3, 10, 22) })!);
        Assert.Equal(new Shape(10), (Shape)type.GetMethod("LabelShapeFor")!.Invoke(null, new object[] { new Shape(3, 10, 22) })!);
        var refused = Assert.Throws<TargetInvocationException>(() => type.GetMethod("MaskShapeFor")!.Invoke(null, new object[] { new Shape(3, 11, 22) }));
        Assert.Contains("H = 11 does not work", refused.InnerException!.Message);
        Assert.Contains("public static global::ModelDsl.Shape MaskShapeFor(global::ModelDsl.Shape input)", run.Source("Zoo.AnyHeads.g.cs"));
    }

    [Fact]
    public void Snapshot_of_a_two_head_detector()
    {
        // The samples' TwoHeadDetector (DESIGN §2b): a backbone to an 8×8 grid, "Classes" 11×8×8 and "Boxes" 5×8×8.
        string source = "using ModelDsl;\nnamespace Zoo;\n" + File.ReadAllText(Path.Combine(RepositoryRoot(), "samples", "CourseModels", "TwoHeadDetector.cs"))
            .Replace("namespace ModelDsl.Samples;", "");
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.Mdsl);
        Assert.Empty(run.CompilationDiagnostics);
        Snapshot.Match("Zoo.TwoHeadDetector", run.Source("Zoo.TwoHeadDetector.g.cs"));
    }

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string file = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "..", "..", ".."));
}
