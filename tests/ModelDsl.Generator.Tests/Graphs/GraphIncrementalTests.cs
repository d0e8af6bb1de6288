extern alias gen;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;
using Steps = gen::ModelDsl.Generator.PipelineStepNames;

namespace ModelDsl.Generator.Tests.Graphs;

/// <summary>
/// Graph, any-size and multi-head models keep the incremental guarantees: their analysed values (graph edges,
/// per-axis programs, head outputs) compare by value and hold no locations, so a line inserted above them re-emits nothing, and
/// an edit to one model re-analyses that model alone.
/// </summary>
public class GraphIncrementalTests
{
    private const string Models = """
        using ModelDsl;
        namespace Inc
        {
            [Model(Channels = 1)]
            [Conv2d(8, 3, Padding = 1), ReLU, Tap("skip"), MaxPool2d(2), Conv2d(8, 3, Padding = 1)]
            [ConvTranspose2d(8, 2, Stride = 2), Concat("skip"), Add("skip", Projection = true), Conv2d(2, 1)]
            public partial class AnyUNet;

            [Model(Channels = 3, Height = 16, Width = 16)]
            [Conv2d(8, 3, Padding = 1), Tap("a"), Conv2d(8, 3, Padding = 1), Add("a")]
            public partial class Skip;

            [Model(Channels = 1, Height = 16, Width = 16)]
            [Conv2d(8, 3, Padding = 1), ReLU, MaxPool2d(2), Tap("features")]
            [Head("Classes", From = "features"), Conv2d(11, 1), Permute(1, 2, 0)]
            [Head("Boxes", From = "features"), Conv2d(5, 1), Sigmoid, Reshape(5, -1)]
            public partial class Heads;

            [Model(Channels = 1)]
            [Conv2d(8, 3, Padding = 1), Tap("features")]
            [Head("Mask", From = "features"), MaxPool2d(2), Conv2d(2, 1)]
            [Head("Label", From = "features"), GlobalAvgPool, Flatten, Linear(6), Reshape(2, 3)]
            public partial class AnyHeads;
        }
        """;

    private static IEnumerable<IncrementalStepRunReason> Reasons(GeneratorDriver driver, string step)
        => driver.GetRunResult().Results.Single().TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason);

    [Fact]
    public void A_line_inserted_above_graph_models_re_emits_nothing()
    {
        var compilation = GeneratorHarness.Compile(Models);
        var driver = GeneratorHarness.Driver(trackSteps: true).RunGenerators(compilation, TestContext.Current.CancellationToken);
        Assert.Equal(4, driver.GetRunResult().GeneratedTrees.Length);
        var tree = compilation.SyntaxTrees.Single();
        var text = tree.GetText(TestContext.Current.CancellationToken);
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(text.Replace(text.ToString().IndexOf("namespace Inc", StringComparison.Ordinal), 0, "// moves every declaration down a line\n")));

        driver = driver.RunGenerators(edited, TestContext.Current.CancellationToken);

        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(driver, Steps.ModelSpecs));
        var emitted = Reasons(driver, Steps.ModelsToEmit).ToList();
        Assert.Equal(4, emitted.Count);
        Assert.All(emitted, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        var outputs = driver.GetRunResult().Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs);
        Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }
}
