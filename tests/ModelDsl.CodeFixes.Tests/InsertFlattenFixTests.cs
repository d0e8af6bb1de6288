using ModelDsl.CodeFixes.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.CodeFixes.Tests;

/// <summary>MDSL0003: a Linear on a feature map gets a Flatten in front of it.</summary>
public class InsertFlattenFixTests
{
    private static readonly InsertFlattenCodeFixProvider Provider = new();

    [Fact]
    public async Task Inserts_flatten_inside_the_same_attribute_list()
    {
        const string source = """
            using ModelDsl;

            [Model(Channels = 3, Height = 16, Width = 16)]
            [Conv2d(64, 3, Padding = 1), Linear(7)]
            public partial class Net;
            """;
        var result = await CodeFixHarness.FixAsync(Provider, source, "MDSL0003");
        Assert.Equal("Insert [Flatten] before Linear", result.Title);
        Assert.Equal(source.Replace("Padding = 1), Linear(7)]", "Padding = 1), Flatten, Linear(7)]"), result.FixedSource);
        result.AssertClean();
    }

    [Fact]
    public async Task A_stated_InFeatures_is_corrected_in_the_same_step_so_the_build_passes()
    {
        const string source = """
            using ModelDsl;

            [Model(Channels = 3, Height = 16, Width = 16)]
            [Conv2d(64, 3, Padding = 1), MaxPool2d(2), Linear(7, InFeatures = 64)]
            public partial class Net;
            """;
        var result = await CodeFixHarness.FixAsync(Provider, source, "MDSL0003");
        Assert.Equal("Insert [Flatten] before Linear and set InFeatures = 4096", result.Title);
        Assert.Equal(source.Replace("MaxPool2d(2), Linear(7, InFeatures = 64)]", "MaxPool2d(2), Flatten, Linear(7, InFeatures = 4096)]"), result.FixedSource);
        result.AssertClean(); // no MDSL0002 after the fix
    }

    [Fact]
    public async Task A_linear_that_starts_its_list_gets_a_flatten_line_above_it_with_the_same_indentation()
    {
        const string source = """
            using ModelDsl;

            namespace Course
            {
                [Model(Channels = 3, Height = 64, Width = 64)]
                [Conv2d(32, 3, Padding = 1), ELU, MaxPool2d(2)]
                [Linear(7)]
                public partial class Net;
            }
            """;
        const string expected = """
            using ModelDsl;

            namespace Course
            {
                [Model(Channels = 3, Height = 64, Width = 64)]
                [Conv2d(32, 3, Padding = 1), ELU, MaxPool2d(2)]
                [Flatten]
                [Linear(7)]
                public partial class Net;
            }
            """;
        var result = await CodeFixHarness.FixAsync(Provider, source, "MDSL0003");
        Assert.Equal(expected, result.FixedSource);
        result.AssertClean();
    }

    [Fact]
    public async Task A_qualified_linear_gets_a_qualified_flatten()
    {
        const string source = """
            [ModelDsl.Model(Channels = 8, Height = 4, Width = 4)]
            [ModelDsl.ReLU, ModelDsl.Linear(3)]
            public partial class Net;
            """;
        var result = await CodeFixHarness.FixAsync(Provider, source, "MDSL0003");
        Assert.Equal(source.Replace("[ModelDsl.ReLU, ModelDsl.Linear(3)]", "[ModelDsl.ReLU, ModelDsl.Flatten, ModelDsl.Linear(3)]"), result.FixedSource);
        result.AssertClean();
    }

    [Fact]
    public async Task The_attribute_suffix_style_is_kept()
    {
        const string source = """
            using ModelDsl;

            [Model(Channels = 8, Height = 4, Width = 4)]
            [ReLU, LinearAttribute(3)]
            public partial class Net;
            """;
        var result = await CodeFixHarness.FixAsync(Provider, source, "MDSL0003");
        Assert.Equal(source.Replace("[ReLU, LinearAttribute(3)]", "[ReLU, FlattenAttribute, LinearAttribute(3)]"), result.FixedSource);
        result.AssertClean();
    }
}
