using ModelDsl.CodeFixes.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.CodeFixes.Tests;

/// <summary>
/// MDSL0004: drop a wrong BatchNorm feature count. MDSL0017: a single-unit Softmax becomes Sigmoid. MDSL0015: a BatchNorm2d or
/// Dropout2d on flat features after a Linear becomes its 1-D twin.
/// </summary>
public class BatchNormAndSigmoidFixTests
{
    [Theory]
    [InlineData("BatchNorm2d(Momentum = 0.2)", "BatchNorm1d(Momentum = 0.2)", "Use BatchNorm1d on flat features")]
    [InlineData("Dropout2d(0.3)", "Dropout(0.3)", "Use Dropout on flat features")]
    public async Task A_2d_layer_after_a_Linear_becomes_its_1d_twin_with_its_arguments(string layer, string fixedLayer, string title)
    {
        string source = $$"""
            using ModelDsl;

            [Model(Channels = 3, Height = 8, Width = 8)]
            [Conv2d(8, 3), Flatten, Linear(32), {{layer}}, ReLU, Linear(2)]
            public partial class Net;
            """;
        var result = await CodeFixHarness.FixAsync(new FlatLayerCodeFixProvider(), source, "MDSL0015");
        Assert.Equal(title, result.Title);
        Assert.Equal(source.Replace(layer, fixedLayer), result.FixedSource);
        result.AssertClean();
    }

    [Fact]
    public async Task No_fix_is_offered_where_a_Flatten_precedes_the_layer()
    {
        var document = CodeFixHarness.CreateDocument("""
            using ModelDsl;

            [Model(Channels = 3, Height = 8, Width = 8)]
            [Conv2d(8, 3), Flatten, BatchNorm2d, Linear(2)]
            public partial class Net;
            """);
        var (diagnostics, _) = await CodeFixHarness.RunGeneratorAsync(document.Project);
        var d = Assert.Single(diagnostics, x => x.Id == "MDSL0015");
        Assert.EndsWith("move it before [Flatten]", d.GetMessage());
        Assert.Empty(await CodeFixHarness.ActionsAsync(new FlatLayerCodeFixProvider(), document, d));
    }

    [Fact]
    public async Task BatchNorm2d_loses_its_only_argument()
    {
        const string source = """
            using ModelDsl;

            [Model(Channels = 3, Height = 8, Width = 8)]
            [Conv2d(8, 3), BatchNorm2d(16), ReLU]
            public partial class Net;
            """;
        var result = await CodeFixHarness.FixAsync(new BatchNormFeaturesCodeFixProvider(), source, "MDSL0004");
        Assert.Equal("Remove the feature count (BatchNorm2d takes its input's)", result.Title);
        Assert.Equal(source.Replace("BatchNorm2d(16), ReLU", "BatchNorm2d, ReLU"), result.FixedSource);
        result.AssertClean();
    }

    [Fact]
    public async Task BatchNorm1d_keeps_its_other_arguments()
    {
        const string source = """
            using ModelDsl;

            [Model(Features = 12)]
            [Linear(6), BatchNorm1d(NumFeatures = 5, Momentum = 0.2)]
            public partial class Net;
            """;
        var result = await CodeFixHarness.FixAsync(new BatchNormFeaturesCodeFixProvider(), source, "MDSL0004");
        Assert.Equal(source.Replace("BatchNorm1d(NumFeatures = 5, Momentum = 0.2)", "BatchNorm1d(Momentum = 0.2)"), result.FixedSource);
        result.AssertClean();
    }

    [Fact]
    public async Task Single_unit_softmax_becomes_sigmoid()
    {
        const string source = """
            using ModelDsl;

            [Model(Features = 10)]
            [Linear(1), Softmax(Dim = 1)]
            public partial class Binary;
            """;
        var result = await CodeFixHarness.FixAsync(new SingleUnitSoftmaxCodeFixProvider(), source, "MDSL0017");
        Assert.Equal("Use Sigmoid for a single output unit", result.Title);
        Assert.Equal(source.Replace("Softmax(Dim = 1)", "Sigmoid"), result.FixedSource);
        result.AssertClean();
    }

    [Fact]
    public async Task Sigmoid_keeps_the_layer_name()
    {
        const string source = """
            using ModelDsl;

            [Model(Features = 10)]
            [Linear(1)]
            [Softmax(Name = "Probability")]
            public partial class Binary;
            """;
        var result = await CodeFixHarness.FixAsync(new SingleUnitSoftmaxCodeFixProvider(), source, "MDSL0017");
        Assert.Equal(source.Replace("[Softmax(Name = \"Probability\")]", "[Sigmoid(Name = \"Probability\")]"), result.FixedSource);
        result.AssertClean();
    }

    [Fact]
    public async Task Single_unit_log_softmax_gets_no_fix()
    {
        var document = CodeFixHarness.CreateDocument("""
            using ModelDsl;
            [Model(Features = 10)]
            [Linear(1), LogSoftmax]
            public partial class Binary;
            """);
        var (diagnostics, _) = await CodeFixHarness.RunGeneratorAsync(document.Project);
        var d = Assert.Single(diagnostics);
        Assert.Equal("MDSL0017", d.Id);
        Assert.Empty(await CodeFixHarness.ActionsAsync(new SingleUnitSoftmaxCodeFixProvider(), document, d));
    }
}
