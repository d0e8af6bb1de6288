using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// Every error of a model in one build: after a shape error the walk goes on from the output the failing layer was
/// written to give, so a second mistake shows beside the first — and a layer that only suffers from the first error
/// draws nothing (no cascade of follow-ups); where no output is known the walk stops.
/// </summary>
public class AllErrorsInOneBuildTests
{
    private static List<Diagnostic> Errors(string source)
    {
        var run = GeneratorHarness.Run("using ModelDsl;\n" + source);
        Assert.Null(run.GeneratorException);
        Assert.DoesNotContain(run.CompilationDiagnostics, c => c.Severity == DiagnosticSeverity.Error); // nothing emitted for a broken model
        return run.Mdsl.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
    }

    private static string Listed(IEnumerable<Diagnostic> errors) => string.Join("\n", errors.Select(e => e.Id + " " + e.GetMessage()));

    [Fact]
    public void A_unet_with_two_bad_merges_shows_both()
    {
        // Both decoder steps convolve without padding after upsampling: each Concat meets a map two pixels too small
        // (at every input size, so the cause is the layers and no input size is offered).
        var errors = Errors("""
            [Model(Channels = 1, Height = 16, Width = 16)]
            [Conv2d(4, 3, Padding = 1), Tap("s1"), MaxPool2d(2), Conv2d(8, 3, Padding = 1), Tap("s2"), MaxPool2d(2), Conv2d(8, 3, Padding = 1)]
            [ConvTranspose2d(8, 2, Stride = 2), Conv2d(8, 3), Concat("s2"), ConvTranspose2d(4, 2, Stride = 2), Conv2d(4, 3), Concat("s1"), Conv2d(2, 1)]
            public partial class UNet;
            """);
        Assert.Equal(
            "MDSL0033 Concat 'Concat1' joins 8×6×6 (from Conv4) with 8×8×8 (tap 's2', from Conv2) on channels; their heights and widths must be equal\n"
            + "MDSL0033 Concat 'Concat2' joins 4×10×10 (from Conv5) with 4×16×16 (tap 's1', from Conv1) on channels; their heights and widths must be equal",
            Listed(errors));
    }

    [Fact]
    public void A_unet_at_a_size_its_pools_cannot_halve_explains_the_first_merge_and_points_the_next_back_to_it()
    {
        var errors = Errors("""
            [Model(Channels = 1, Height = 22, Width = 24)]
            [Conv2d(4, 3, Padding = 1), Tap("s1"), MaxPool2d(2), Conv2d(8, 3, Padding = 1), Tap("s2"), MaxPool2d(2), Conv2d(8, 3, Padding = 1)]
            [ConvTranspose2d(8, 2, Stride = 2), Concat("s2"), ConvTranspose2d(4, 2, Stride = 2), Concat("s1")]
            public partial class UNet;
            """);
        Assert.Equal(2, errors.Count);
        Assert.Equal("Concat 'Concat1' joins 8×10×12 (from ConvT1) with 8×11×12 (tap 's2', from Conv2) on channels; their heights and widths must be equal. "
            + "The cause is the input size: the input height 22 goes 22 → 11 → 5 → 10, where the merged sizes part; it works at 4, 8, 12, … (multiples of 4) — nearest 20 or 24. "
            + "Use such a size, or pad the input.", errors[0].GetMessage());
        Assert.Equal("Concat 'Concat2' joins 4×20×24 (from ConvT2) with 4×22×24 (tap 's1', from Conv1) on channels; their heights and widths must be equal. "
            + "The cause is the input size, as at 'Concat1'.", errors[1].GetMessage());
    }

    [Fact]
    public void Two_wrong_in_features_show_both_and_a_layer_written_for_the_first_fix_draws_nothing()
    {
        var errors = Errors("""
            [Model(Channels = 1, Height = 4, Width = 4)]
            [Flatten, Linear(10, InFeatures = 100), ReLU, Linear(5, InFeatures = 10), Linear(2, InFeatures = 7)]
            public partial class Mlp;
            """);
        Assert.Equal(new[] { "MDSL0002", "MDSL0002" }, errors.Select(e => e.Id));
        Assert.Contains("declares 100 input features but receives 16", errors[0].GetMessage());
        Assert.Contains("declares 7 input features but receives 5", errors[1].GetMessage());
    }

    [Fact]
    public void A_missing_flatten_is_one_error_when_the_layers_after_it_are_right()
    {
        var errors = Errors("""
            [Model(Channels = 1, Height = 8, Width = 8)]
            [Conv2d(4, 3), Linear(10), ReLU, Linear(2, InFeatures = 10)]
            public partial class NoFlatten;
            """);
        Assert.Equal("MDSL0003", Assert.Single(errors).Id);
    }

    [Fact]
    public void Errors_of_different_kinds_after_one_another_all_show()
    {
        // BatchNorm2d states 6 channels of 4; the Add after it merges 4×8×8 with 8×8×8; the Linear states 10 inputs of 512.
        var errors = Errors("""
            [Model(Channels = 1, Height = 8, Width = 8)]
            [Conv2d(4, 3, Padding = 1), BatchNorm2d(NumFeatures = 6), Tap("t"), Conv2d(8, 3, Padding = 1), Add("t"), Flatten, Linear(3, InFeatures = 10)]
            public partial class ThreeMistakes;
            """);
        Assert.Equal(new[] { "MDSL0004", "MDSL0034", "MDSL0002" }, errors.Select(e => e.Id));
    }

    [Fact]
    public void The_walk_stops_where_no_output_is_known()
    {
        // A 20×20 kernel on 8×8 leaves no map: the Linear after it has no input to be checked against.
        var errors = Errors("""
            [Model(Channels = 1, Height = 8, Width = 8)]
            [Conv2d(4, 20), Flatten, Linear(3, InFeatures = 7)]
            public partial class TooLarge;
            """);
        Assert.Equal("MDSL0001", Assert.Single(errors).Id);
    }
}
