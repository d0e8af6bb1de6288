using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using static ModelDsl.Generator.Tests.Infrastructure.ExpectedDiagnostics;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>Every descriptor: its ID, severity, the source text it points at, and the numbers in its message.</summary>
public class DiagnosticTests
{
    private const string Usings = "using ModelDsl;\n";

    private static Diagnostic Single(string source, string id) => ExpectedDiagnostics.SingleWithId(Usings + source, id);

    [Fact]
    public void MDSL0001_conv_shrinks_the_map_to_nothing_with_the_formula()
    {
        var d = Single("""
            [Model(Channels = 1, Height = 3, Width = 3)]
            [Conv2d(8, 5, Name = "Conv3"), Flatten, Linear(2)]
            public partial class Tiny;
            """, "MDSL0001");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("Conv2d(8, 5, Name = \"Conv3\")", SpanText(d));
        Assert.Equal("Conv2d 'Conv3' turns 3×3 into -1×-1: (3 + 2·0 − 1·(5−1) − 1)/1 + 1. Reduce the kernel or stride, or add padding.", d.GetMessage());
    }

    [Fact]
    public void MDSL0002_linear_in_features_mismatch_names_both_numbers_on_the_argument()
    {
        var d = Single("""
            [Model(Channels = 3, Height = 64, Width = 64)]
            [Conv2d(32, 3, Padding = 1), ELU, MaxPool2d(2)]
            [Conv2d(64, 3, Padding = 1), ELU, MaxPool2d(2)]
            [Flatten]
            [Linear(7, InFeatures = 4096, Name = "Classifier")]
            public partial class Net;
            """, "MDSL0002");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("InFeatures = 4096", SpanText(d));
        Assert.Equal(5, d.Location.GetLineSpan().StartLinePosition.Line + 1 - 1); // line 6 of the file, after the using
        Assert.Equal("Linear 'Classifier' declares 4096 input features but receives 16384 (64×16×16 after Flatten).", d.GetMessage());
    }

    [Fact]
    public void MDSL0003_linear_on_a_feature_map()
    {
        var d = Single("""
            [Model(Channels = 3, Height = 16, Width = 16)]
            [Conv2d(64, 3, Padding = 1), Linear(7)]
            public partial class Net;
            """, "MDSL0003");
        Assert.Equal("Linear(7)", SpanText(d));
        Assert.Equal("Linear 'Linear1' needs a flat input; add [Flatten] before it (input is 64×16×16)", d.GetMessage());
    }

    [Fact]
    public void MDSL0004_batchnorm_features_must_match_channels()
    {
        var d = Single("""
            [Model(Channels = 3, Height = 8, Width = 8)]
            [Conv2d(8, 3), BatchNorm2d(16)]
            public partial class Net;
            """, "MDSL0004");
        Assert.Equal("16", SpanText(d));
        Assert.Equal("BatchNorm2d 'BatchNorm1' declares 16 features but its input has 8 (input 8×6×6)", d.GetMessage());
    }

    [Fact]
    public void MDSL0005_groups_must_divide_channels()
    {
        var d = Single("""
            [Model(Channels = 3, Height = 8, Width = 8)]
            [Conv2d(6, 3, Groups = 4)]
            public partial class Net;
            """, "MDSL0005");
        Assert.Equal("Groups = 4", SpanText(d));
        Assert.Equal("Conv2d 'Conv1': groups = 4 must divide both in_channels = 3 and out_channels = 6", d.GetMessage());
    }

    [Fact]
    public void MDSL0006_residual_shapes_differ_without_projection_reported_at_the_use()
    {
        var d = Single("""
            [Block, Residual(Then = Act.ReLU)]
            [Conv2d(32, 3, Padding = 1), BatchNorm2d]
            public partial class Widen;

            [Model(Channels = 16, Height = 8, Width = 8)]
            [Use<Widen>]
            public partial class Net;
            """, "MDSL0006");
        Assert.Equal("Use<Widen>", SpanText(d));
        Assert.StartsWith("Residual block 'Widen1' adds its input 16×8×8 to its output 32×8×8; the shapes must match.", d.GetMessage());
    }

    [Fact]
    public void MDSL0006_projection_shortcut_accepts_a_channel_and_stride_change()
    {
        var run = GeneratorHarness.Run(Usings + """
            [Block, Residual(Then = Act.ReLU, Projection = true)]
            [Conv2d(32, 3, Stride = 2, Padding = 1), BatchNorm2d, ReLU, Conv2d(Kernel = 3, Padding = 1), BatchNorm2d]
            public partial class Down;

            [Model(Channels = 16, Height = 8, Width = 8)]
            [Use<Down>, GlobalAvgPool, Flatten, Linear(2)]
            public partial class Net;
            """);
        Assert.Empty(run.Mdsl);
        Assert.Contains("new global::Down(16, true, 2, 2)", run.Source("Net.g.cs"));
    }

    [Theory]
    [InlineData("Conv2d(8, 0)", "0", "Conv2d 'Conv1': Kernel = 0 is invalid; it must be at least 1")]
    [InlineData("Conv2d(8, 3, Stride = -1)", "Stride = -1", "Conv2d 'Conv1': Stride = -1 is invalid; it must be at least 1")]
    [InlineData("Dropout(1.0)", "1.0", "Dropout 'Dropout1': P = 1 is invalid; a drop probability must be in [0, 1)")]
    [InlineData("Conv2d(OutChannels = 4)", "Conv2d(OutChannels = 4)", "Conv2d 'Conv1': Kernel = missing is invalid; set Kernel (or KernelH and KernelW)")]
    [InlineData("Conv2d(8, 3, Padding = -2)", "Padding = -2", "Conv2d 'Conv1': Padding = -2 is invalid; it must be at least 0")]
    public void MDSL0007_invalid_arguments(string layer, string span, string message)
    {
        var d = Single($$"""
            [Model(Channels = 3, Height = 8, Width = 8)]
            [{{layer}}]
            public partial class Net;
            """, "MDSL0007");
        Assert.Equal(span, SpanText(d));
        Assert.Equal(message, d.GetMessage());
    }

    [Fact]
    public void MDSL0008_same_padding_with_stride_suggests_the_number()
    {
        var d = Single("""
            [Model(Channels = 3, Height = 8, Width = 8)]
            [Conv2d(8, 3, Stride = 2, Padding = Pad.Same)]
            public partial class Net;
            """, "MDSL0008");
        Assert.Equal("Padding = Pad.Same", SpanText(d));
        Assert.Equal("Conv2d 'Conv1': Padding = Pad.Same needs stride 1 but the stride is 2; use Padding = 1 instead", d.GetMessage());
    }

    [Fact]
    public void MDSL0009_pool_padding_at_most_half_the_kernel()
    {
        var d = Single("""
            [Model(Channels = 3, Height = 8, Width = 8)]
            [MaxPool2d(2, Padding = 2)]
            public partial class Net;
            """, "MDSL0009");
        Assert.Equal("Padding = 2", SpanText(d));
        Assert.Equal("MaxPool2d 'MaxPool1': padding 2 must be at most half of the effective kernel size 2 (at most 1)", d.GetMessage());
    }

    [Fact]
    public void MDSL0009_a_dilated_max_pool_is_held_to_half_its_undilated_kernel_as_libtorch_training_is()
    {
        // Effective kernel 3·(2 − 1) + 1 = 4 would allow padding 2, but max_pool2d_with_indices (taken whenever
        // autograd records, i.e. in training) checks kernel / 2 = 1 and throws.
        var d = Single("""
            [Model(Channels = 1, Height = 16, Width = 16)]
            [MaxPool2d(2, Padding = 2, Dilation = 3)]
            public partial class Net;
            """, "MDSL0009");
        Assert.Equal("MaxPool2d 'MaxPool1': padding 2 must be at most half of the kernel size 2 (at most 1)", d.GetMessage());
        using var pool = TorchSharp.torch.nn.MaxPool2d(2, stride: 2, padding: 2, dilation: 3);
        using var input = TorchSharp.torch.randn(new long[] { 1, 1, 16, 16 }, requires_grad: true);
        Assert.ThrowsAny<Exception>(() => pool.call(input));
    }

    [Fact]
    public void MDSL0010_model_must_be_partial()
    {
        var d = Single("""
            [Model(Channels = 3, Height = 8, Width = 8)]
            [Conv2d(8, 3)]
            public class Net { }
            """, "MDSL0010");
        Assert.Equal("Net", SpanText(d));
    }

    [Fact]
    public void MDSL0011_layers_split_over_partial_declarations()
    {
        var d = Single("""
            [Model(Channels = 3, Height = 8, Width = 8)]
            [Conv2d(8, 3)]
            public partial class Net;
            [ReLU]
            public partial class Net;
            """, "MDSL0011");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
    }

    [Theory]
    [InlineData("Name = \"Summary\"", "the class already has a member named 'Summary'")]
    [InlineData("Name = \"train\"", "the class already has a member named 'train'")]
    [InlineData("Name = \"1st\"", "it is not a valid C# identifier")]
    public void MDSL0012_unusable_layer_names(string name, string problem)
    {
        var d = Single($$"""
            [Model(Channels = 3, Height = 8, Width = 8)]
            [Conv2d(8, 3, {{name}})]
            public partial class Net;
            """, "MDSL0012");
        Assert.Contains(problem, d.GetMessage());
    }

    [Fact]
    public void MDSL0012_two_layers_with_one_name()
    {
        var run = GeneratorHarness.Run(Usings + """
            [Model(Channels = 3, Height = 8, Width = 8)]
            [Conv2d(8, 3, Name = "Stem"), ReLU(Name = "Stem")]
            public partial class Net;
            """);
        Assert.Contains(run.Mdsl, d => d.Id == "MDSL0012" && d.GetMessage().Contains("two layers have this name"));
    }

    [Fact]
    public void MDSL0013_generic_models_are_rejected()
    {
        var d = Single("""
            [Model(Channels = 3, Height = 8, Width = 8)]
            [Conv2d(8, 3)]
            public partial class Net<T>;
            """, "MDSL0013");
        Assert.Equal("Net", SpanText(d));
    }

    [Fact]
    public void MDSL0014_input_shape_must_be_given()
    {
        var d = Single("""
            [Model(Channels = 3, Height = 32)]
            [Conv2d(8, 3)]
            public partial class Net;
            """, "MDSL0014");
        Assert.Equal("Model(Channels = 3, Height = 32)", SpanText(d));
        Assert.Equal("[Model] on 'Net' needs a positive input shape: give both Height and Width, or neither for a net of any input size (got Height = 32, Width = 0)", d.GetMessage());
    }

    [Fact]
    public void MDSL0015_conv_after_flatten()
    {
        var d = Single("""
            [Model(Channels = 3, Height = 8, Width = 8)]
            [Flatten, Conv2d(8, 3)]
            public partial class Net;
            """, "MDSL0015");
        Assert.Equal("Conv2d 'Conv1' needs a C×H×W feature map but receives 192 flat features; move it before [Flatten]", d.GetMessage());
    }

    [Theory]
    [InlineData("[Linear(64), BatchNorm2d, ReLU, Linear(2)]", "BatchNorm2d 'BatchNorm1' needs a C×H×W feature map but receives 64 flat features from Linear 'Linear1'; on flat features use BatchNorm1d")]
    [InlineData("[Linear(64), ReLU, Dropout2d(0.3), Linear(2)]", "Dropout2d 'Dropout1' needs a C×H×W feature map but receives 64 flat features from ReLU 'Relu1'; on flat features use Dropout")]
    [InlineData("[Linear(64), Conv2d(8, 3)]", "Conv2d 'Conv1' needs a C×H×W feature map but receives 64 flat features from Linear 'Linear1'; a 2-D layer belongs before [Flatten], with the feature maps")]
    [InlineData("[BatchNorm2d, Linear(2)]", "BatchNorm2d 'BatchNorm1' needs a C×H×W feature map but receives 20 flat features (the model's input); on flat features use BatchNorm1d")]
    public void MDSL0015_says_what_was_meant_where_no_Flatten_precedes(string layers, string message)
    {
        var d = Single($$"""
            [Model(Features = 20)]
            {{layers}}
            public partial class Net;
            """, "MDSL0015");
        Assert.Equal(message, d.GetMessage());
        Assert.Equal(message.Contains("use ") ? message[(message.LastIndexOf(' ') + 1)..] : null,
            d.Properties.TryGetValue("Replacement", out var replacement) ? replacement : null);
    }

    [Fact]
    public void MDSL0043_a_residual_block_striding_twice_names_both_strides_and_a_stated_stride_accepts_it()
    {
        const string block = """
            [Block, Residual(Projection = true, Then = Act.ReLU{0})]
            [Conv2d(16, 3, Stride = 2, Padding = 1), BatchNorm2d, ReLU, Conv2d(16, 3, Stride = 2, Padding = 1), BatchNorm2d]
            public partial class Down;

            [Model(Channels = 8, Height = 16, Width = 16)]
            [Use<Down>, GlobalAvgPool, Flatten, Linear(10)]
            public partial class Net;
            """;
        var d = Single(string.Format(block, ""), "MDSL0043");
        Assert.Equal("Use<Down>", SpanText(d));
        Assert.Equal("Residual block 'Down1' shrinks 8×16×16 to 16×4×4, by 4 (Conv1 16×16 → 8×8, Conv2 8×8 → 4×4), but its shortcut follows the block's stride 2; "
            + "stride one layer only, as torchvision's blocks do, or state [Residual(Projection = true, Stride = 4)]", d.GetMessage());
        var stated = GeneratorHarness.Run(Usings + string.Format(block, ", Stride = 4"));
        Assert.DoesNotContain(stated.Mdsl, x => x.Severity == DiagnosticSeverity.Error);
    }

    [Theory]
    [InlineData("Linear(4)", "contains [Linear]; a block works on feature maps and is built from its input channels alone, so put flat layers in the model")]
    [InlineData("Stage(\"s\")", "declares a [Stage]; stages group a model's layers, blocks cannot have them")]
    [InlineData("Reshape(4, 2, 2)", "contains [Reshape]; a block keeps C×H×W feature maps and is built from its input channels alone, so reshape in the model")]
    public void MDSL0020_names_the_refused_construct_and_why(string layer, string message)
    {
        var run = GeneratorHarness.Run(Usings + $$"""
            [Block]
            [Conv2d(Kernel = 3, Padding = 1), {{layer}}]
            public partial class B;
            """);
        Assert.Contains(run.Mdsl, d => d.Id == "MDSL0020" && d.GetMessage() == "'B' " + message);
    }

    [Fact]
    public void A_graph_blocks_taps_are_checked_on_its_declaration_and_a_block_cannot_contain_itself()
    {
        var run = GeneratorHarness.Run(Usings + """
            [Block]
            [Conv2d(Kernel = 3, Padding = 1), Add("x"), Tap("y"), Multiply("z"), Tap("z")]
            public partial class B;

            [Block]
            [Conv2d(Kernel = 1), Use<Outer>]
            public partial class Inner;

            [Block]
            [Use<Inner>]
            public partial class Outer;
            """);
        Assert.Contains(run.Mdsl, d => d.Id == "MDSL0030" && d.GetMessage() == "Add 'Add1' refers to tap 'x', which no [Tap] defines; a block's merges and From use the block's own taps: add [Tap(\"x\")] in the block");
        Assert.Contains(run.Mdsl, d => d.Id == "MDSL0031" && d.GetMessage().StartsWith("Multiply 'Multiply1' uses tap 'z' before [Tap(\"z\")] defines it", StringComparison.Ordinal));
        Assert.Contains(run.Mdsl, d => d.Id == "MDSL0020" && d.GetMessage() == "'Inner' uses block Outer, which contains Inner; a block cannot contain itself");
        Assert.Contains(run.Mdsl, d => d.Id == "MDSL0020" && d.GetMessage() == "'Outer' uses block Inner, which contains Outer; a block cannot contain itself");
        Assert.DoesNotContain(run.Mdsl, d => d.Id == "MDSL0021"); // no follow-up "declares no layers" for the refused use
        Assert.Null(run.GeneratorException);
    }

    [Fact]
    public void MDSL0016_trailing_softmax_is_a_warning()
    {
        var d = Single("""
            [Model(Features = 10)]
            [Linear(3), Softmax]
            public partial class Net;
            """, "MDSL0016");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal("Softmax", SpanText(d));
    }

    [Theory]
    [InlineData("Softmax(Dim = 0)", "Softmax 'Softmax1' with Dim = 0")]
    [InlineData("LogSoftmax(Dim = -2)", "LogSoftmax 'LogSoftmax1' with Dim = -2")]
    public void MDSL0042_softmax_over_the_batch_is_a_warning_on_the_argument(string layer, string start)
    {
        var d = Single($$"""
            [Model(Features = 20)]
            [Linear(10), {{layer}}, Linear(2)]
            public partial class Net;
            """, "MDSL0042");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.StartsWith("Dim = ", SpanText(d));
        Assert.StartsWith(start + " normalises across the batch of N×10", d.GetMessage());
    }

    [Fact]
    public void MDSL0017_softmax_over_one_unit()
    {
        var d = Single("""
            [Model(Features = 10)]
            [Linear(1), Softmax]
            public partial class Net;
            """, "MDSL0017");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Contains("always gives 1.0", d.GetMessage());
    }

    [Fact]
    public void MDSL0018_pooling_that_drops_a_row_is_info()
    {
        var d = Single("""
            [Model(Channels = 64, Height = 7, Width = 7)]
            [MaxPool2d(2)]
            public partial class Net;
            """, "MDSL0018");
        Assert.Equal(DiagnosticSeverity.Info, d.Severity);
        Assert.Equal("MaxPool2d 'MaxPool1' on 7×7 drops the last 1 row(s) and 1 column(s): (7 + 2·0 − 1·(2−1) − 1)/2 + 1 = 3. Pad the input or set CeilMode = true to keep them.", d.GetMessage());
    }

    [Fact]
    public void MDSL0019_use_of_a_class_that_is_not_a_block()
    {
        var d = Single("""
            public class Plain { }
            [Model(Channels = 3, Height = 8, Width = 8)]
            [Use<Plain>]
            public partial class Net;
            """, "MDSL0019");
        Assert.Equal("Use<Plain>", SpanText(d));
    }

    [Fact]
    public void MDSL0020_residual_on_a_model_and_flatten_in_a_block()
    {
        Single("""
            [Model(Channels = 3, Height = 8, Width = 8), Residual]
            [Conv2d(8, 3)]
            public partial class Net;
            """, "MDSL0020");
        var d = Single("""
            [Block]
            [Conv2d(Kernel = 3), Flatten]
            public partial class FlatBlock;
            """, "MDSL0020");
        Assert.Equal("Flatten", SpanText(d));
    }

    [Fact]
    public void MDSL0021_model_without_layers()
    {
        var d = Single("""
            [Model(Channels = 3, Height = 8, Width = 8)]
            public partial class Net;
            """, "MDSL0021");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
    }

    [Fact]
    public void MDSL0022_a_weight_count_past_2_to_the_63_is_an_error_on_the_layer_not_a_wrapped_ParameterCount()
    {
        var d = Single("""
            [Model(Channels = 3, Height = 100000, Width = 100000)]
            [Conv2d(65535, 7), Flatten, Linear(100000)]
            public partial class Huge;
            """, "MDSL0022");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("Linear(100000)", SpanText(d));
        Assert.Equal("Linear 'Linear1' on 655271360359260: its weight count exceeds 2^63 − 1, so no such tensor can exist; make the input or the layer smaller", d.GetMessage());
        // Only the broken model's surface is emitted: its count is the documented marker, never a wrapped number.
        var source = Assert.Single(LastRun.Result.Results.SelectMany(r => r.GeneratedSources)).SourceText.ToString();
        Assert.Contains("public const long ParameterCount = -1;", source);
    }

    [Fact]
    public void MDSL0022_an_upsampling_scale_past_every_size_is_an_error_not_a_small_wrong_shape()
    {
        var d = Single("""
            [Model(Channels = 3, Height = 8, Width = 8)]
            [Conv2d(4, 3), Upsample(1e300), ReLU]
            public partial class Blowup;
            """, "MDSL0022");
        Assert.Equal("Upsample(1e300)", SpanText(d));
        Assert.Equal("Upsample 'Upsample1' on 4×6×6: its output's size or element count exceeds 2^63 − 1, so no such tensor can exist; make the input or the layer smaller", d.GetMessage());
    }

    [Fact]
    public void MDSL0022_an_output_map_with_more_than_2_to_the_63_elements()
    {
        var d = Single("""
            [Model(Channels = 1, Height = 2000000000, Width = 2000000000)]
            [ReLU, Conv2d(8, 1, Name = "Widen")]
            public partial class Wide;
            """, "MDSL0022");
        Assert.Equal("Conv2d(8, 1, Name = \"Widen\")", SpanText(d));
        Assert.Equal("Conv2d 'Widen' on 1×2000000000×2000000000: its output's size or element count exceeds 2^63 − 1, so no such tensor can exist; make the input or the layer smaller", d.GetMessage());
    }

    [Fact]
    public void MDSL0022_the_layer_whose_parameters_overflow_the_models_total_is_the_one_at_fault()
    {
        var d = Single("""
            [Model(Features = 2147483647)]
            [Linear(2147483647), Linear(2147483647), Linear(2147483647)]
            public partial class Deep;
            """, "MDSL0022");
        Assert.Equal(3, d.Location.GetLineSpan().StartLinePosition.Line + 1); // the layer line, after the using
        Assert.Equal("Linear 'Linear3' on 2147483647: the total parameter count up to it exceeds 2^63 − 1, so no such tensor can exist; make the input or the layer smaller", d.GetMessage());
        Assert.Equal(41, d.Location.GetLineSpan().StartLinePosition.Character); // the third Linear
    }

    [Fact]
    public void A_non_finite_scale_is_an_invalid_argument_and_an_impossible_input_an_invalid_input_shape()
    {
        var scale = Single("""
            [Model(Channels = 3, Height = 8, Width = 8)]
            [Upsample(double.PositiveInfinity)]
            public partial class Infinite;
            """, "MDSL0007");
        Assert.Equal("Upsample 'Upsample1': ScaleFactor = Infinity is invalid; it must be a finite number", scale.GetMessage());
        var input = Single("""
            [Model(Channels = 2147483647, Height = 2147483647, Width = 2147483647)]
            [ReLU]
            public partial class Impossible;
            """, "MDSL0014");
        Assert.Equal("[Model] on 'Impossible' needs a positive input shape: 2147483647×2147483647×2147483647 is more than 2^63 − 1 elements per sample, so no such tensor can exist", input.GetMessage());
    }

    [Fact]
    public void MDSL0007_a_Repeat_past_the_limit_is_an_error_not_a_silently_shorter_net()
    {
        var d = Single("""
            [Block]
            [Conv2d(Kernel = 3, Padding = 1), ReLU]
            public partial class Res;

            [Model(Channels = 3, Height = 8, Width = 8)]
            [Use<Res>(Repeat = 20000)]
            public partial class Deep;
            """, "MDSL0007");
        Assert.Equal("Repeat = 20000", SpanText(d));
        Assert.Equal("Use<Res> 'Res1': Repeat = 20000 is invalid; it must be at most 10000", d.GetMessage());
    }

    [Fact]
    public void Every_descriptor_has_a_documentation_page()
    {
        var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
        foreach (var id in new[] { "0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011", "0012", "0013", "0014", "0015", "0016", "0017", "0018", "0019", "0020", "0021", "0022", "0030", "0031", "0032", "0033", "0034", "0035", "0036", "0037", "0038", "0039", "0040", "9999" })
            Assert.True(File.Exists(Path.Combine(root, "docs", "diagnostics", $"MDSL{id}.md")), $"docs/diagnostics/MDSL{id}.md is missing");
    }
}
