using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using static ModelDsl.Generator.Tests.Infrastructure.ExpectedDiagnostics;
using Xunit;

namespace ModelDsl.Generator.Tests.Graphs;

/// <summary>The graph descriptors: ID, severity, the source text each points at, and the full message.</summary>
public class GraphDiagnosticTests
{
    private static Diagnostic Single(string layers, string id)
        => ExpectedDiagnostics.OnlyWarningOrError("using ModelDsl;\n[Model(Channels = 1, Height = 8, Width = 8)]\n" + layers + "\npublic partial class Net;\n", id);

    [Fact]
    public void MDSL0030_a_merge_of_an_unknown_tap_names_the_taps_there_are()
    {
        var d = Single("""[Conv2d(4, 3, Padding = 1), Tap("a"), Conv2d(4, 3, Padding = 1), Add("b")]""", "MDSL0030");
        Assert.Equal("\"b\"", SpanText(d));
        Assert.Equal("Add 'Add1' refers to tap 'b', which no [Tap] defines (taps defined so far: a)", d.GetMessage());
    }

    [Fact]
    public void MDSL0031_a_tap_used_before_it_is_defined()
    {
        var d = Single("""[Conv2d(4, 3, Padding = 1), Concat("a"), Tap("a")]""", "MDSL0031");
        Assert.Equal("\"a\"", SpanText(d));
        Assert.Equal("Concat 'Concat1' uses tap 'a' before [Tap(\"a\")] defines it; a merge can only use a tensor computed earlier in the chain", d.GetMessage());
    }

    [Fact]
    public void MDSL0032_a_tap_defined_twice_points_at_the_second()
    {
        var d = Single("""[Conv2d(4, 3, Padding = 1), Tap("a"), Conv2d(4, 3, Padding = 1), Tap("a"), Add("a")]""", "MDSL0032");
        Assert.Equal("Tap(\"a\")", SpanText(d));
        string source = LastRun.Output.SyntaxTrees.First().GetText(TestContext.Current.CancellationToken).ToString();
        Assert.Equal(source.LastIndexOf("Tap(\"a\")", StringComparison.Ordinal), d.Location.SourceSpan.Start);
        Assert.Equal("Tap 'a' is defined more than once; give each tap its own name", d.GetMessage());
    }

    [Fact]
    public void MDSL0033_a_concat_of_maps_of_different_sizes_names_both_and_where_each_came_from()
    {
        var d = Single("""[Conv2d(4, 3, Padding = 1), Tap("skip"), MaxPool2d(2), Concat("skip")]""", "MDSL0033");
        Assert.Equal("Concat(\"skip\")", SpanText(d));
        Assert.Equal("Concat 'Concat1' joins 4×4×4 (from MaxPool1) with 4×8×8 (tap 'skip', from Conv1) on channels; their heights and widths must be equal", d.GetMessage());
    }

    [Fact]
    public void MDSL0034_an_add_of_different_shapes_names_both_and_where_each_came_from()
    {
        var d = Single("""[Conv2d(4, 3, Padding = 1), Tap("skip"), Conv2d(8, 3, Padding = 1), Add("skip")]""", "MDSL0034");
        Assert.Equal("Add(\"skip\")", SpanText(d));
        Assert.Equal("Add 'Add1' adds 4×8×8 (tap 'skip', from Conv1) to 8×8×8 (from Conv2); the shapes must be equal. "
            + "Keep the shapes equal, or set Projection = true for a 1×1 convolution + BatchNorm2d on the tapped tensor.", d.GetMessage());
    }

    [Fact]
    public void MDSL0034_a_projection_that_no_integer_stride_gives()
    {
        var d = Single("""[Conv2d(4, 3, Padding = 1), Tap("skip"), Upsample(ScaleFactor = 2), Conv2d(8, 3, Padding = 1), Add("skip", Projection = true)]""", "MDSL0034");
        Assert.Equal("Add 'Add1' adds 4×8×8 (tap 'skip', from Conv1) to 8×16×16 (from Conv2); the shapes must be equal. "
            + "A 1×1 projection cannot map 8×8 onto 16×16 with an integer stride.", d.GetMessage());
    }

    [Fact]
    public void MDSL0041_a_multiply_whose_shapes_do_not_broadcast_names_both_and_the_axis()
    {
        var d = Single("""[Conv2d(16, 1), Tap("x"), GlobalAvgPool, Conv2d(4, 1), ReLU, Conv2d(8, 1), Sigmoid, Multiply("x")]""", "MDSL0041");
        Assert.Equal("Multiply(\"x\")", SpanText(d));
        Assert.Equal("Multiply 'Multiply1' multiplies 8×1×1 (from Sigmoid1) by 16×8×8 (tap 'x', from Conv1); per axis the sizes must be equal or one of them 1, "
            + "but axis 0 has 8 and 16", d.GetMessage());
    }

    [Fact]
    public void MDSL0041_a_flat_vector_times_a_map()
    {
        var d = Single("""[Conv2d(4, 1), Tap("x"), Flatten, Multiply("x")]""", "MDSL0041");
        Assert.EndsWith("but 256 has 1 axis and 4×8×8 has 3 axes", d.GetMessage());
    }

    [Fact]
    public void MDSL0030_a_from_of_an_unknown_tap_names_the_taps_there_are()
    {
        var d = Single("""[Conv2d(4, 1), Tap("a"), Conv2d(4, 1), From("b"), ReLU]""", "MDSL0030");
        Assert.Equal("From(\"b\")", SpanText(d));
        Assert.Equal("From 'From(\"b\")' refers to tap 'b', which no [Tap] defines (taps defined so far: a)", d.GetMessage());
    }

    [Fact]
    public void Upsample_to_an_unknown_tap_or_with_a_scale_too_is_an_error_on_SizeOf()
    {
        var d = Single("""[Conv2d(4, 3, Padding = 1), Tap("a"), MaxPool2d(2), Upsample(SizeOf = "b")]""", "MDSL0030");
        Assert.Equal("SizeOf = \"b\"", SpanText(d));
        Assert.Equal("Upsample 'Upsample1' refers to tap 'b', which no [Tap] defines (SizeOf names a [Tap] defined before it, or \"input\"; taps defined so far: a)", d.GetMessage());
        var both = Single("""[Conv2d(4, 3, Padding = 1), Upsample(2.0, SizeOf = "input")]""", "MDSL0007");
        Assert.Contains("give SizeOf alone, without ScaleFactor, Height or Width", both.GetMessage());
    }

    [Fact]
    public void A_chunk_of_channels_that_do_not_split_evenly_and_a_shuffle_that_does_not_divide_are_MDSL0007()
    {
        var chunk = Single("""[Conv2d(5, 3, Padding = 1), Chunk("a", "b"), From("b"), Concat("a")]""", "MDSL0007");
        Assert.Equal("Chunk(\"a\", \"b\")", SpanText(chunk));
        Assert.Contains("its input 5×8×8 has 5 channels, which do not split into 2 equal parts", chunk.GetMessage());
        var shuffle = Single("""[Conv2d(6, 3, Padding = 1), ChannelShuffle(4)]""", "MDSL0007");
        Assert.Contains("it must divide the input's 6 channels", shuffle.GetMessage());
    }

    [Fact]
    public void MDSL0031_a_from_before_its_tap()
    {
        var d = Single("""[Conv2d(4, 1), From("a"), Conv2d(4, 1), Tap("a")]""", "MDSL0031");
        Assert.StartsWith("From 'From(\"a\")' uses tap 'a' before [Tap(\"a\")] defines it", d.GetMessage());
    }
}
