using ModelDsl.CodeFixes.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.CodeFixes.Tests;

/// <summary>MDSL0008: an impossible Same padding becomes the explicit number.</summary>
public class SamePaddingFixTests
{
    private static readonly SamePaddingCodeFixProvider Provider = new();

    [Fact]
    public async Task Square_kernel_gets_one_padding_number()
    {
        const string source = """
            using ModelDsl;

            [Model(Channels = 3, Height = 8, Width = 8)]
            [Conv2d(8, 3, Stride = 2, Padding = Pad.Same)]
            public partial class Net;
            """;
        var result = await CodeFixHarness.FixAsync(Provider, source, "MDSL0008");
        Assert.Equal("Use Padding = 1", result.Title);
        Assert.Equal(("1", "1"), (result.Diagnostic.Properties["PaddingH"], result.Diagnostic.Properties["PaddingW"]));
        Assert.Equal(source.Replace("Padding = Pad.Same", "Padding = 1"), result.FixedSource);
        result.AssertClean();
    }

    [Fact]
    public async Task Rectangular_kernel_gets_padding_and_paddingW_like_the_message_says()
    {
        const string source = """
            using ModelDsl;

            [Model(Channels = 3, Height = 8, Width = 8)]
            [Conv2d(8, KernelH = 3, KernelW = 5, Stride = 2, Padding = Pad.Same, Name = "Wide")]
            public partial class Net;
            """;
        var result = await CodeFixHarness.FixAsync(Provider, source, "MDSL0008");
        Assert.EndsWith("use Padding = 1, PaddingW = 2 instead", result.Diagnostic.GetMessage());
        Assert.Equal("Use Padding = 1, PaddingW = 2", result.Title);
        Assert.Equal(source.Replace("Padding = Pad.Same,", "Padding = 1, PaddingW = 2,"), result.FixedSource);
        result.AssertClean();
    }

    [Fact]
    public async Task Dilation_is_part_of_the_padding()
    {
        const string source = """
            using ModelDsl;

            [Model(Channels = 3, Height = 16, Width = 16)]
            [Conv2d(8, 5, Stride = 2, Dilation = 2, Padding = Pad.Same)]
            public partial class Net;
            """;
        var result = await CodeFixHarness.FixAsync(Provider, source, "MDSL0008");
        Assert.Equal(source.Replace("Padding = Pad.Same", "Padding = 4"), result.FixedSource);
        result.AssertClean();
    }

    [Fact]
    public async Task Fully_qualified_same_is_replaced_too()
    {
        const string source = """
            [ModelDsl.Model(Channels = 3, Height = 8, Width = 8)]
            [ModelDsl.Conv2d(8, 3, StrideH = 2, StrideW = 1, Padding = ModelDsl.Pad.Same)]
            public partial class Net;
            """;
        var result = await CodeFixHarness.FixAsync(Provider, source, "MDSL0008");
        Assert.Equal(source.Replace("Padding = ModelDsl.Pad.Same", "Padding = 1"), result.FixedSource);
        result.AssertClean();
    }
}
