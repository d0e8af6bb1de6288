using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using static ModelDsl.Generator.Tests.Infrastructure.ExpectedDiagnostics;
using Xunit;

namespace ModelDsl.Generator.Tests.Graphs;

/// <summary>MDSL0035 (Reshape's element count), MDSL0036 (Permute's dimensions) and the argument checks: ID, severity, span, message.</summary>
public class ReshapeDiagnosticTests
{
    private static Diagnostic Single(string layers, string id)
        => ExpectedDiagnostics.OnlyWarningOrError("using ModelDsl;\n[Model(Channels = 2, Height = 4, Width = 6)]\n" + layers + "\npublic partial class Net;\n", id);

    [Fact]
    public void MDSL0035_a_reshape_to_another_element_count()
    {
        var d = Single("[Reshape(6, 7)]", "MDSL0035");
        Assert.Equal("Reshape(6, 7)", SpanText(d));
        Assert.Equal("Reshape 'Reshape1' cannot turn 2×4×6 (48 elements per sample) into 6×7: 6×7 holds 42 elements", d.GetMessage());
    }

    [Fact]
    public void MDSL0035_an_inferred_dimension_that_is_not_whole()
    {
        var d = Single("[Conv2d(3, 1), Reshape(-1, 5)]", "MDSL0035");
        Assert.Equal("Reshape 'Reshape1' cannot turn 3×4×6 (72 elements per sample) into -1×5: -1 would have to be 72 / 5, which is not a whole number", d.GetMessage());
    }

    [Theory]
    [InlineData("[Permute(0, 2, 3, 1)]", "Permute 'Permute1' with (0, 2, 3, 1) on 2×4×6: the dimensions must be a permutation of 0 … 3 − 1, but it names 4 dimension(s); the dimensions are per sample (without the batch), so PyTorch's permute(0, 2, 3, 1) is Permute(1, 2, 0)")]
    [InlineData("[Permute(0, 1, 1)]", "Permute 'Permute1' with (0, 1, 1) on 2×4×6: the dimensions must be a permutation of 0 … 3 − 1, but 1 appears twice")]
    [InlineData("[Flatten, Permute(1)]", "Permute 'Permute1' with (1) on 48: the dimensions must be a permutation of 0 … 1 − 1, but 1 is no dimension of it")]
    public void MDSL0036_a_permute_that_is_no_permutation_of_its_input(string layers, string message)
    {
        var d = Single(layers, "MDSL0036");
        Assert.Equal(message, d.GetMessage());
        Assert.StartsWith("Permute(", SpanText(d));
    }

    [Theory]
    [InlineData("[Reshape(-1, -1)]", "Reshape 'Reshape1': Shape = (-1, -1) is invalid; every dimension must be positive, except at most one -1 (inferred from the others)")]
    [InlineData("[Reshape(2, 0, 24)]", "Reshape 'Reshape1': Shape = (2, 0, 24) is invalid; every dimension must be positive, except at most one -1 (inferred from the others)")]
    [InlineData("[Reshape(1, 1, 2, 4, 6)]", "Reshape 'Reshape1': Shape = (1, 1, 2, 4, 6) is invalid; give 1 to 4 per-sample dimensions (without the batch)")]
    [InlineData("[Reshape]", "Reshape 'Reshape1': Shape = () is invalid; give 1 to 4 per-sample dimensions (without the batch)")]
    public void MDSL0007_reshape_dimensions_that_no_input_fits(string layers, string message)
        => Assert.Equal(message, Single(layers, "MDSL0007").GetMessage());

    [Fact]
    public void MDSL0015_a_convolution_on_a_rank_2_tensor_says_to_reshape_it()
    {
        var d = Single("[Reshape(8, 6), Conv2d(4, 3)]", "MDSL0015");
        Assert.Equal("Conv2d 'Conv1' needs a C×H×W feature map but receives a 8×6 tensor (rank 2); [Reshape(c, h, w)] or [Permute(…)] it into one first", d.GetMessage());
    }
}
