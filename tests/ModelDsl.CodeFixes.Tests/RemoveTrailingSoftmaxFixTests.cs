using ModelDsl.CodeFixes.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.CodeFixes.Tests;

/// <summary>MDSL0016: the trailing Softmax of a classifier is removed.</summary>
public class RemoveTrailingSoftmaxFixTests
{
    private static readonly RemoveTrailingSoftmaxCodeFixProvider Provider = new();

    [Fact]
    public async Task Removes_softmax_from_the_end_of_a_list()
    {
        const string source = """
            using ModelDsl;

            [Model(Channels = 1, Height = 28, Width = 28)]
            [Conv2d(16, 5), ReLU, MaxPool2d(2)]
            [Flatten, Linear(3), Softmax]
            public partial class MnistNet;
            """;
        var result = await CodeFixHarness.FixAsync(Provider, source, "MDSL0016");
        Assert.Equal("Remove the trailing Softmax (CrossEntropyLoss applies it)", result.Title);
        Assert.Equal(source.Replace("[Flatten, Linear(3), Softmax]", "[Flatten, Linear(3)]"), result.FixedSource);
        result.AssertClean();
    }

    [Fact]
    public async Task Removes_a_softmax_line_entirely()
    {
        const string source = """
            using ModelDsl;

            namespace Course
            {
                [Model(Features = 10)]
                [Linear(3)]
                [Softmax(Dim = 1)]
                public partial class Net;
            }
            """;
        const string expected = """
            using ModelDsl;

            namespace Course
            {
                [Model(Features = 10)]
                [Linear(3)]
                public partial class Net;
            }
            """;
        var result = await CodeFixHarness.FixAsync(Provider, source, "MDSL0016");
        Assert.Equal(expected, result.FixedSource);
        result.AssertClean();
    }

    [Fact]
    public async Task A_comment_above_a_removed_softmax_line_is_kept()
    {
        const string source = """
            using ModelDsl;

            [Model(Features = 10)]
            [Linear(3)]
            // probabilities for the demo
            [Softmax]
            public partial class Net;
            """;
        var result = await CodeFixHarness.FixAsync(Provider, source, "MDSL0016");
        Assert.DoesNotContain("Softmax", result.FixedSource);
        Assert.Contains("// probabilities for the demo", result.FixedSource);
        Assert.Contains("[Linear(3)]", result.FixedSource);
        result.AssertClean();
    }
}
