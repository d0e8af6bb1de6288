using ModelDsl;
using ModelDsl.Interop;
using Xunit;

namespace ModelDsl.Runtime.Tests.Shapes;

/// <summary>
/// The notation the generator writes a model's Layers and Graph tables in (decoded on first use): every record the
/// generator can write reads back as the object it stands for, and a text that does not fit is an error that says
/// where, never a different table.
/// </summary>
public class GeneratedNotationTests
{
    [Fact]
    public void Every_layer_op_reads_back_as_the_record_it_names()
    {
        var cases = new (string Text, LayerOp Expected)[]
        {
            ("Conv2dOp(3, 5, 1, 2, 1, 2, 2, 2, 1, 1, 4, true, Reflect)", new Conv2dOp(3, 5, 1, 2, 1, 2, 2, 2, 1, 1, 4, true, PaddingMode.Reflect)),
            ("Conv2dOp(4, 2, 1, 1, 1, 0, 2, 1, 1, 1, 1, false, Zeros, 'conv.')", new Conv2dOp(4, 2, 1, 1, 1, 0, 2, 1, 1, 1, 1, false, PaddingMode.Zeros, "conv.")),
            ("ConvTranspose2dOp(2, 3, 2, 2, 0, 1, 1, 0, 1, 1, 1, true)", new ConvTranspose2dOp(2, 3, 2, 2, 0, 1, 1, 0, 1, 1, 1, true)),
            ("Pool2dOp(false, 3, 3, 2, 2, 1, 1, 1, 1, true, false)", new Pool2dOp(false, 3, 3, 2, 2, 1, 1, 1, 1, true, false)),
            ("AdaptiveAvgPool2dOp(1, 1)", new AdaptiveAvgPool2dOp(1, 1)),
            ("BatchNormOp(1E-05, 0.1, true, false)", new BatchNormOp(1e-5, 0.1, true, false)),
            ("DropoutOp(true, 0.25)", new DropoutOp(true, 0.25)),
            ("FlattenOp()", new FlattenOp()),
            ("LinearOp(2304, 10, false)", new LinearOp(2304, 10, false)),
            ("UpsampleOp(0.0, 32, 48, Bilinear, true)", new UpsampleOp(0, 32, 48, UpsampleMode.Bilinear, true)),
            ("ActivationOp('LeakyReLU', 0.01)", new ActivationOp("LeakyReLU", 0.01)),
            ("ActivationOp('ReLU')", new ActivationOp("ReLU")),
            ("ActivationOp('Hardtanh', -0.5, 2.0)", new ActivationOp("Hardtanh", -0.5, 2)),
            ("GroupNormOp(8, 1E-05, true)", new GroupNormOp(8, 1e-5, true)),
            ("InstanceNormOp(1E-05, 0.1, false, true)", new InstanceNormOp(1e-5, 0.1, false, true)),
            ("LayerNorm2dOp(1E-06, true)", new LayerNorm2dOp(1e-6, true)),
            ("PadOp('reflect', 1, 2, 0, 3, 0.0)", new PadOp("reflect", 1, 2, 0, 3)),
            ("StochasticDepthOp(0.1, true)", new StochasticDepthOp(0.1, true)),
            ("LayerScaleOp(96)", new LayerScaleOp(96)),
            ("PointwiseLinearOp(96, 384, true)", new PointwiseLinearOp(96, 384, true)),
            ("PadToOp('skip', 'constant', 0.5)", new PadToOp("skip", "constant", 0.5)),
            ("PReluOp(16)", new PReluOp(16)),
            ("SoftmaxOp(true, -1)", new SoftmaxOp(true, -1)),
            ("UnsupportedOp('Mystery')", new UnsupportedOp("Mystery")),
            ("HeadOp('Boxes', 'features')", new HeadOp("Boxes", "features")),
            ("TapOp('skip1')", new TapOp("skip1")),
            ("AddOp('a', true)", new AddOp("a", true)),
            ("ConcatOp('it''s')", new ConcatOp("it's")),
            ("MultiplyOp('x')", new MultiplyOp("x")),
            ("UpsampleToOp('input', Bilinear, true)", new UpsampleToOp("input", UpsampleMode.Bilinear, true)),
            ("ChunkOp('x2', 1, 2)", new ChunkOp("x2", 1, 2)),
            ("ChannelShuffleOp(2)", new ChannelShuffleOp(2)),
            ("FromOp('s')", new FromOp("s")),
            ("ConcatOp('e1', true)", new ConcatOp("e1", true)),
            ("BlockOp('Res', true, false, ActivationOp('ReLU', 0.0))", new BlockOp("Res", true, false, new ActivationOp("ReLU"))),
            ("BlockOp('Down', false, false, null)", new BlockOp("Down", false, false, null)),
        };
        foreach (var (text, expected) in cases)
            Assert.Equal(expected, GeneratedNotation.Decode<LayerOp>(text));

        var reshape = Assert.IsType<ReshapeOp>(GeneratedNotation.Decode<LayerOp>("ReshapeOp([49, 30])"));
        Assert.Equal(new long[] { 49, 30 }, reshape.Dims);
        var permute = Assert.IsType<PermuteOp>(GeneratedNotation.Decode<LayerOp>("PermuteOp([1, 2, 0])"));
        Assert.Equal(new long[] { 1, 2, 0 }, permute.Dims);

        // Every concrete op the runtime defines is covered above, so a new one cannot be added without its case.
        var covered = cases.Select(c => c.Expected.GetType()).Append(typeof(ReshapeOp)).Append(typeof(PermuteOp)).ToHashSet();
        var all = typeof(LayerOp).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(LayerOp)) && !t.IsAbstract);
        Assert.DoesNotContain(all, t => !covered.Contains(t));
    }

    [Fact]
    public void A_layer_table_with_line_breaks_and_trailing_commas_reads_back()
    {
        var layers = GeneratedNotation.Decode<LayerInfo[]>(@"[
            LayerInfo('Conv1', 'Conv2d', [32, 64, 64], 896, 3538944, 'Features'),
            LayerInfo('Linear1', 'Linear', [7], 114695, 114688, null),
        ]");
        Assert.Equal(new[]
        {
            new LayerInfo("Conv1", "Conv2d", new Shape(32, 64, 64), 896, 3538944, "Features"),
            new LayerInfo("Linear1", "Linear", new Shape(7), 114695, 114688),
        }, layers);
        Assert.Empty(GeneratedNotation.Decode<LayerInfo[]>("[]"));
    }

    [Fact]
    public void A_graph_with_a_block_reads_back_with_its_children()
    {
        var graph = GeneratedNotation.Decode<ModelGraph>(@"ModelGraph('Net', [3, 8, 8], true, [2, 3, 4, 5], [
            GraphNode('Res1', 'Res1', BlockOp('Res', true, false, null), [3, 8, 8], [3, 8, 8], [
                GraphNode('Res1.Conv1', 'Res1.Conv1', FlattenOp(), [3, 8, 8], [192]),
            ]),
            GraphNode('skip', '', TapOp('skip'), [3, 8, 8], [3, 8, 8]),
        ])");
        Assert.Equal("Net", graph.Name);
        Assert.True(graph.AnySize);
        Assert.Equal(new Shape(3, 8, 8), graph.Input);
        Assert.Equal(new Shape(2, 3, 4, 5), graph.Output);
        Assert.Equal(2, graph.Nodes.Count);
        var child = Assert.Single(graph.Nodes[0].Children!);
        Assert.Equal(new Shape(192), child.Output);
        Assert.Null(graph.Nodes[1].Children);
    }

    [Fact]
    public void A_generated_model_decodes_its_tables_once_and_keeps_them()
    {
        Assert.Same(ModelDsl.Samples.LeNet5.Layers, ModelDsl.Samples.LeNet5.Layers);
        Assert.Same(ModelDsl.Samples.LeNet5.Graph, ModelDsl.Samples.LeNet5.Graph);
        Assert.Equal(ModelDsl.Samples.LeNet5.ParameterCount, ModelDsl.Samples.LeNet5.Layers.Sum(l => l.Parameters));
        Assert.Equal(ModelDsl.Samples.LeNet5.OutputShape, ModelDsl.Samples.LeNet5.Layers[^1].OutputShape);
        Assert.Equal(ModelDsl.Samples.LeNet5.OutputShape, ModelDsl.Samples.LeNet5.Graph.Output);
    }

    [Theory]
    [InlineData("Conv2dOp(3, 3)", "Conv2dOp's argument StrideH", 0)]
    [InlineData("LinearOp(1, 2, true, 4)", "at most 3 arguments for LinearOp", 21)]
    [InlineData("LinearOp('1', 2, true)", "an integer, not a quoted text", 9)]
    [InlineData("LinearOp(1.5, 2, true)", "an integer, not '1.5'", 9)]
    [InlineData("ShapeGuard(1)", "a ModelDsl record, not 'ShapeGuard'", 0)]
    [InlineData("LayerInfo('a', 'b', [1], 0, 0)", "a LayerOp, not a LayerInfo", 0)]
    [InlineData("UpsampleOp(2.0, 0, 0, Cubic, false)", "a member of UpsampleMode, not 'Cubic'", 22)]
    [InlineData("TapOp('skip)", "the closing quote of the text", 6)]
    [InlineData("TapOp('skip') TapOp('more')", "the end of the text", 14)]
    [InlineData("BlockOp('Res', true, false, ActivationOp('ReLU', 0.0)", "')'", 53)]
    [InlineData("LinearOp(1, 2, null)", "true or false, not null", 15)]
    public void A_text_that_does_not_fit_names_what_was_expected_and_where(string text, string expected, int at)
    {
        var error = Assert.Throws<FormatException>(() => GeneratedNotation.Decode<LayerOp>(text));
        Assert.Contains($"expected {expected} at character {at}", error.Message);
        Assert.Contains("ModelDsl generator", error.Message);
    }
}
