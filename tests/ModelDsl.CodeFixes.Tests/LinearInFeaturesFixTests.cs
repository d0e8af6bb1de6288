using Microsoft.CodeAnalysis;
using ModelDsl.CodeFixes.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.CodeFixes.Tests;

/// <summary>MDSL0002: set InFeatures to the inferred value, or remove it.</summary>
public class LinearInFeaturesFixTests
{
    private static readonly LinearInFeaturesCodeFixProvider Provider = new();

    private const string CourseNet = """
        using ModelDsl;

        [Model(Channels = 3, Height = 64, Width = 64)]
        [Conv2d(32, 3, Padding = 1), ELU, MaxPool2d(2)]
        [Conv2d(64, 3, Padding = 1), ELU, MaxPool2d(2)]
        [Flatten]
        [Linear(7, InFeatures = 4096, Name = "Classifier")]
        public partial class Net;
        """;

    [Fact]
    public async Task Diagnostic_carries_the_inferred_input_size()
    {
        var document = CodeFixHarness.CreateDocument(CourseNet);
        var (diagnostics, _) = await CodeFixHarness.RunGeneratorAsync(document.Project);
        var d = Assert.Single(diagnostics);
        Assert.Equal("MDSL0002", d.Id);
        Assert.Equal("16384", d.Properties["InFeatures"]);
    }

    [Fact]
    public async Task Both_fixes_are_offered_set_first()
    {
        var result = await CodeFixHarness.FixAsync(Provider, CourseNet, "MDSL0002", LinearInFeaturesCodeFixProvider.SetKey);
        Assert.Equal(new[] { "Set InFeatures = 16384", "Remove InFeatures (inferred from the input)" }, result.OfferedTitles);
    }

    [Fact]
    public async Task Set_writes_the_inferred_value_and_the_error_goes()
    {
        var result = await CodeFixHarness.FixAsync(Provider, CourseNet, "MDSL0002", LinearInFeaturesCodeFixProvider.SetKey);
        Assert.Equal(CourseNet.Replace("InFeatures = 4096", "InFeatures = 16384"), result.FixedSource);
        result.AssertClean();
    }

    [Fact]
    public async Task Remove_drops_the_argument_between_others()
    {
        var result = await CodeFixHarness.FixAsync(Provider, CourseNet, "MDSL0002", LinearInFeaturesCodeFixProvider.RemoveKey);
        Assert.Equal(CourseNet.Replace("[Linear(7, InFeatures = 4096, Name = \"Classifier\")]", "[Linear(7, Name = \"Classifier\")]"), result.FixedSource);
        result.AssertClean();
    }

    [Fact]
    public async Task Remove_drops_a_last_argument_and_its_comma()
    {
        const string source = """
            using ModelDsl;

            [Model(Channels = 64, Height = 4, Width = 4)]
            [Flatten, Linear(10, InFeatures = 1000)]
            public partial class Head;
            """;
        var result = await CodeFixHarness.FixAsync(Provider, source, "MDSL0002", LinearInFeaturesCodeFixProvider.RemoveKey);
        Assert.Equal(source.Replace("Linear(10, InFeatures = 1000)", "Linear(10)"), result.FixedSource);
        result.AssertClean();
    }

    [Fact]
    public async Task Set_on_a_flat_model_input_without_flatten()
    {
        const string source = """
            using ModelDsl;

            [Model(Features = 20)]
            [Linear(8, InFeatures = 10), ReLU, Linear(2)]
            public partial class Mlp;
            """;
        var result = await CodeFixHarness.FixAsync(Provider, source, "MDSL0002", LinearInFeaturesCodeFixProvider.SetKey);
        Assert.Equal("Set InFeatures = 20", result.Title);
        Assert.Equal(source.Replace("InFeatures = 10", "InFeatures = 20"), result.FixedSource);
        result.AssertClean();
    }

    [Fact]
    public async Task Without_the_property_only_removal_is_offered()
    {
        var document = CodeFixHarness.CreateDocument(CourseNet);
        var (diagnostics, _) = await CodeFixHarness.RunGeneratorAsync(document.Project);
        var original = Assert.Single(diagnostics);
        var bare = Diagnostic.Create(original.Descriptor, original.Location); // an older generator: no properties
        var actions = await CodeFixHarness.ActionsAsync(Provider, document, bare);
        Assert.Equal(LinearInFeaturesCodeFixProvider.RemoveKey, Assert.Single(actions).EquivalenceKey);
    }
}
