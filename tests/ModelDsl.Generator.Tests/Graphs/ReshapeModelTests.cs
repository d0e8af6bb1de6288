using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Generator.Tests.Graphs;

/// <summary>
/// Reshape and Permute: per-sample shapes of rank 1–4 at compile time equal TorchSharp's forward, every Layers
/// entry equals what a forward hook records, and the values are PyTorch's reshape and permute.
/// </summary>
public class ReshapeModelTests
{
    private const string Yolo = """
        using ModelDsl;
        namespace Zoo;
        [Model(Channels = 1, Height = 32, Width = 32)]
        [Conv2d(8, 3, Padding = 1), ReLU, MaxPool2d(2), Conv2d(16, 3, Padding = 1), ReLU, MaxPool2d(2), Tap("features")]
        [Head("Grid", From = "features"), Conv2d(30, 1), Permute(1, 2, 0)]
        [Head("Cells", From = "features"), Conv2d(12, 1), Reshape(-1, 12), Permute(1, 0)]
        [Head("Boxes", From = "features"), GlobalAvgPool, Flatten, Linear(98), Reshape(2, 7, 7), Sigmoid, Reshape(1, 2, 7, 7)]
        [Head("Flat", From = "features"), Reshape(16, 64), Flatten, Linear(4)]
        public partial class Yolo;
        """;

    [Fact]
    public void Shapes_of_rank_1_to_4_equal_TorchSharp_and_every_layer_equals_its_hook()
    {
        var run = GeneratorHarness.Run(Yolo);
        Assert.Null(run.GeneratorException);
        Assert.Empty(run.Mdsl);
        Assert.Empty(run.CompilationDiagnostics);
        var type = run.Load().GetType("Zoo.Yolo")!;
        Assert.Equal(new Shape(8, 8, 30), (Shape)type.GetProperty("GridShape")!.GetValue(null)!);
        Assert.Equal(new Shape(12, 64), (Shape)type.GetProperty("CellsShape")!.GetValue(null)!);
        Assert.Equal(new Shape(1, 2, 7, 7), (Shape)type.GetProperty("BoxesShape")!.GetValue(null)!);
        Assert.Equal(new Shape(4), (Shape)type.GetProperty("FlatShape")!.GetValue(null)!);
        var layers = (IReadOnlyList<LayerInfo>)type.GetProperty("Layers")!.GetValue(null)!;
        Assert.Equal(new Shape(64, 12), layers.Single(l => l.Name == "Reshape1").OutputShape);

        using var net = (nn.Module)Activator.CreateInstance(type)!;
        Assert.Equal((long)type.GetField("ParameterCount")!.GetValue(null)!, net.parameters().Sum(p => p.numel()));
        var recorded = new Dictionary<string, long[]>();
        foreach (var l in layers) ((nn.Module<Tensor, Tensor>)type.GetProperty(l.Name)!.GetValue(net)!)
            .register_forward_hook((_, _, output) => { recorded[l.Name] = output.shape; return null!; });
        net.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = randn(3, 1, 32, 32);
        var output = (IModelOutput)type.GetMethod("forward", new[] { typeof(Tensor) })!.Invoke(net, new object[] { x })!;
        foreach (var layer in layers) Assert.Equal(layer.OutputShape.WithBatch(3), recorded[layer.Name]);
        string[] heads = { "Grid", "Cells", "Boxes", "Flat" };
        for (int k = 0; k < heads.Length; k++)
            Assert.Equal(((Shape)type.GetProperty(heads[k] + "Shape")!.GetValue(null)!).WithBatch(3), output.Heads[k].shape);

        // Values: Permute(1, 2, 0) is PyTorch's permute(0, 2, 3, 1); Reshape(-1, 12) then Permute(1, 0) is reshape + transpose.
        Tensor M(string name, Tensor t) => ((nn.Module<Tensor, Tensor>)type.GetProperty(name)!.GetValue(net)!).forward(t);
        var features = M("MaxPool2", M("Relu2", M("Conv2", M("MaxPool1", M("Relu1", M("Conv1", x))))));
        Assert.True(allclose(M("Conv3", features).permute(0, 2, 3, 1), output.Heads[0]));
        Assert.True(allclose(M("Conv4", features).reshape(3, 64, 12).transpose(1, 2), output.Heads[1]));
    }

    [Fact]
    public void A_net_of_any_size_reshapes_after_a_global_pool_but_not_a_map_that_follows_the_input()
    {
        var run = GeneratorHarness.Run("""
            using ModelDsl;
            namespace Zoo;
            [Model(Channels = 3)]
            [Conv2d(8, 3, Padding = 1), ReLU, GlobalAvgPool, Reshape(2, 4), Permute(1, 0)]
            public partial class AnyReshape;
            """);
        Assert.Empty(run.Mdsl);
        var type = run.Load().GetType("Zoo.AnyReshape")!;
        using var net = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type)!;
        using var scope = NewDisposeScope();
        foreach (var (h, w) in new[] { (5L, 7L), (32L, 32L), (100L, 3L) })
        {
            var expected = (Shape)type.GetMethod("OutputShapeFor")!.Invoke(null, new object[] { new Shape(3, h, w) })!;
            Assert.Equal(new Shape(4, 2), expected);
            Assert.Equal(expected.WithBatch(2), net.forward(randn(2, 3, h, w)).shape);
        }

        var refused = GeneratorHarness.Run("""
            using ModelDsl;
            [Model(Channels = 3)]
            [Conv2d(8, 3, Padding = 1), Reshape(8, -1)]
            public partial class Net;
            """);
        var d = Assert.Single(refused.Mdsl);
        Assert.Equal("MDSL0037", d.Id);
        Assert.StartsWith("'Net' accepts no input size: Reshape 'Reshape1' receives a feature map whose height and width follow the input's", d.GetMessage());
    }
}
