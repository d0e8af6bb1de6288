extern alias gen;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;
using Steps = gen::ModelDsl.Generator.PipelineStepNames;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// The generator runs on every keystroke in the IDE. With equatable pipeline models, an edit that does
/// not touch a model must leave every model step Cached/Unchanged, so nothing is re-analysed or re-emitted.
/// </summary>
public class IncrementalTests
{
    private const string Models = """
        using ModelDsl;
        namespace Inc
        {
            [Block, Residual(Then = Act.ReLU)]
            [Conv2d(Kernel = 3, Padding = 1), BatchNorm2d, ReLU]
            public partial class Res;

            [Model(Channels = 1, Height = 28, Width = 28)]
            [Conv2d(16, 5), ReLU, MaxPool2d(2), Use<Res>]
            [Flatten, Linear(3)]
            public partial class Net;

            [Model(Features = 8)]
            [Linear(4), ReLU, Linear(2)]
            public partial class Mlp;
        }
        """;

    private const string Unrelated = """
        namespace Inc
        {
            public static class Helpers { public static int Twice(int x) => x * 2; }
        }
        """;

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        var compilation = GeneratorHarness.Compile(Models, Unrelated);
        var driver = GeneratorHarness.Driver(trackSteps: true).RunGenerators(compilation);
        return (driver, compilation);
    }

    private static IEnumerable<IncrementalStepRunReason> Reasons(GeneratorDriver driver, string step)
        => driver.GetRunResult().Results.Single().TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason);

    [Fact]
    public void An_edit_to_an_unrelated_file_re_runs_nothing()
    {
        var (driver, compilation) = FirstRun();
        var unrelated = compilation.SyntaxTrees.Single(t => t.FilePath == "Model1.cs");
        var edited = compilation.ReplaceSyntaxTree(unrelated,
            unrelated.WithChangedText(unrelated.GetText(TestContext.Current.CancellationToken).Replace(unrelated.GetText(TestContext.Current.CancellationToken).ToString().IndexOf("x * 2"), 5, "x + x")));

        driver = driver.RunGenerators(edited, TestContext.Current.CancellationToken);

        foreach (var step in new[] { Steps.ModelSpecs, Steps.AnalyzedModels, Steps.ModelsToEmit, Steps.BlockSpecs, Steps.AnalyzedBlocks, Steps.BlocksToEmit })
        {
            var reasons = Reasons(driver, step).ToList();
            Assert.NotEmpty(reasons);
            Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {r}"));
        }
        // No source output was produced anew either.
        var outputs = driver.GetRunResult().Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs);
        Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    [Fact]
    public void Changing_a_layer_re_analyses_only_that_model()
    {
        var (driver, compilation) = FirstRun();
        var models = compilation.SyntaxTrees.Single(t => t.FilePath == "Model0.cs");
        string text = models.GetText(TestContext.Current.CancellationToken).ToString();
        var edited = compilation.ReplaceSyntaxTree(models,
            models.WithChangedText(models.GetText(TestContext.Current.CancellationToken).Replace(text.IndexOf("Linear(3)"), "Linear(3)".Length, "Linear(5)")));

        driver = driver.RunGenerators(edited, TestContext.Current.CancellationToken);

        var analyzed = driver.GetRunResult().Results.Single().TrackedSteps[Steps.AnalyzedModels].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(2, analyzed.Count);
        Assert.Equal(1, analyzed.Count(o => o.Reason == IncrementalStepRunReason.Modified));
        Assert.Equal(1, analyzed.Count(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        var net = driver.GetRunResult().GeneratedTrees.Single(t => t.FilePath.EndsWith("Inc.Net.g.cs"));
        Assert.Contains("Linear(2304, 5", net.ToString().Replace("global::TorchSharp.torch.nn.", ""));
    }

    [Fact]
    public void A_line_inserted_above_the_models_re_emits_nothing()
    {
        var (driver, compilation) = FirstRun();
        var models = compilation.SyntaxTrees.Single(t => t.FilePath == "Model0.cs");
        string text = models.GetText(TestContext.Current.CancellationToken).ToString();
        var edited = compilation.ReplaceSyntaxTree(models,
            models.WithChangedText(models.GetText(TestContext.Current.CancellationToken).Replace(text.IndexOf("namespace Inc"), 0, "// a comment that moves every declaration down a line\n")));

        driver = driver.RunGenerators(edited, TestContext.Current.CancellationToken);

        // The specs hold the locations, so they did change: the edit reached the pipeline.
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(driver, Steps.ModelSpecs));
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(driver, Steps.BlockSpecs));
        // What the emitters read holds no locations, so it compares equal and nothing is written anew.
        foreach (var step in new[] { Steps.ModelsToEmit, Steps.BlocksToEmit })
        {
            var reasons = Reasons(driver, step).ToList();
            Assert.Equal(step == Steps.ModelsToEmit ? 2 : 1, reasons.Count);
            Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {r}"));
        }
        var outputs = driver.GetRunResult().Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs);
        Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
        Assert.Equal(3, driver.GetRunResult().GeneratedTrees.Length);
    }
}
