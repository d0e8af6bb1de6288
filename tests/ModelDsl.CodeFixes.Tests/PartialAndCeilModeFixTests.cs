using ModelDsl.CodeFixes.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.CodeFixes.Tests;

/// <summary>MDSL0010: add partial. MDSL0018: set CeilMode = true.</summary>
public class PartialAndCeilModeFixTests
{
    [Fact]
    public async Task Partial_goes_after_the_other_modifiers()
    {
        const string source = """
            using ModelDsl;

            [Model(Channels = 3, Height = 8, Width = 8)]
            [Conv2d(8, 3)]
            public sealed class Net { }
            """;
        var result = await CodeFixHarness.FixAsync(new MakePartialCodeFixProvider(), source, "MDSL0010");
        Assert.Equal("Make 'Net' partial", result.Title);
        Assert.Equal(source.Replace("public sealed class Net", "public sealed partial class Net"), result.FixedSource);
        result.AssertClean();
    }

    [Fact]
    public async Task A_class_without_modifiers_keeps_its_indentation()
    {
        const string source = """
            using ModelDsl;

            namespace Course
            {
                [Model(Channels = 3, Height = 8, Width = 8)]
                [Conv2d(8, 3)]
                class Net { }
            }
            """;
        var result = await CodeFixHarness.FixAsync(new MakePartialCodeFixProvider(), source, "MDSL0010");
        Assert.Equal(source.Replace("    class Net { }", "    partial class Net { }"), result.FixedSource);
        result.AssertClean();
    }

    [Fact]
    public async Task The_containing_class_is_made_partial_when_it_is_the_one_reported()
    {
        const string source = """
            using ModelDsl;

            public static class Models
            {
                [Model(Channels = 3, Height = 8, Width = 8)]
                [Conv2d(8, 3)]
                public partial class Net;
            }
            """;
        var result = await CodeFixHarness.FixAsync(new MakePartialCodeFixProvider(), source, "MDSL0010");
        Assert.Equal("Make 'Models' partial", result.Title);
        Assert.Equal(source.Replace("public static class Models", "public static partial class Models"), result.FixedSource);
        result.AssertClean();
    }

    [Fact]
    public async Task CeilMode_gets_an_argument_list_when_the_pool_has_none()
    {
        const string source = """
            using ModelDsl;

            [Model(Channels = 64, Height = 7, Width = 7)]
            [MaxPool2d(2)]
            public partial class Net;
            """;
        var result = await CodeFixHarness.FixAsync(new CeilModeCodeFixProvider(), source, "MDSL0018");
        Assert.Equal("Set CeilMode = true (keep the last rows and columns)", result.Title);
        Assert.Equal(source.Replace("[MaxPool2d(2)]", "[MaxPool2d(2, CeilMode = true)]"), result.FixedSource);
        result.AssertClean();
    }

    [Fact]
    public async Task CeilMode_false_is_flipped()
    {
        const string source = """
            using ModelDsl;

            [Model(Channels = 4, Height = 9, Width = 9)]
            [AvgPool2d(Kernel = 2, CeilMode = false), Flatten, Linear(2)]
            public partial class Net;
            """;
        var result = await CodeFixHarness.FixAsync(new CeilModeCodeFixProvider(), source, "MDSL0018");
        Assert.Equal(source.Replace("CeilMode = false", "CeilMode = true"), result.FixedSource);
        result.AssertClean();
    }

    [Fact]
    public async Task The_downstream_shape_check_still_applies_after_the_fix()
    {
        // Ceil mode grows 7×7 → 4×4, so a hard-coded InFeatures for 3×3 is now wrong: the fix is offered,
        // and the generator reports the consequence like for any other edit.
        const string source = """
            using ModelDsl;

            [Model(Channels = 2, Height = 7, Width = 7)]
            [MaxPool2d(2), Flatten, Linear(3, InFeatures = 18)]
            public partial class Net;
            """;
        var result = await CodeFixHarness.FixAsync(new CeilModeCodeFixProvider(), source, "MDSL0018");
        result.AssertGone("MDSL0018");
        Assert.Equal("MDSL0002", Assert.Single(result.DiagnosticsAfter).Id);
        Assert.Equal("32", result.DiagnosticsAfter[0].Properties["InFeatures"]);
    }
}
