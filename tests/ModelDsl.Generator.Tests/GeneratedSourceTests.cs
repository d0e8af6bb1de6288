using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Generator.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>Snapshots of the generated source, and the guarantee that it compiles without a single warning.</summary>
public class GeneratedSourceTests
{
    [Theory]
    [InlineData("Zoo.Vision.Everything.g.cs")]
    [InlineData("Zoo.Vision.ResBlock.g.cs")]
    [InlineData("Zoo.Vision.DownBlock.g.cs")]
    [InlineData("Outer.NestedMlp.g.cs")]
    public void Generated_source_matches_snapshot(string hintName)
    {
        var run = GeneratorHarness.Run(KitchenSink.Source);
        Snapshot.Match(hintName.Replace(".g.cs", ""), run.Source(hintName));
    }

    [Fact]
    public void Course_net_snapshot()
    {
        var run = GeneratorHarness.Run("""
            using ModelDsl;
            [Model(Channels = 3, Height = 64, Width = 64)]
            [Stage("FeatureExtractor")]
            [Conv2d(32, 3, Padding = 1), ELU, MaxPool2d(2)]
            [Conv2d(64, 3, Padding = 1), ELU, MaxPool2d(2)]
            [Flatten]
            [Stage("Classifier")]
            [Linear(7)]
            public partial class Net;
            """);
        Snapshot.Match("Net", run.Source("Net.g.cs"));
    }

    [Fact]
    public void Generated_code_compiles_with_zero_warnings_at_the_highest_warning_level()
    {
        var compilation = GeneratorHarness.Compile(KitchenSink.Source);
        compilation = compilation.WithOptions(compilation.Options.WithWarningLevel(9999)
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic>()));
        GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics, TestContext.Current.CancellationToken);
        Assert.DoesNotContain(generatorDiagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        // Documentation comments are checked too (CS1591 etc. are not suppressed here).
        var parse = (CSharpParseOptions)output.SyntaxTrees.First().Options;
        var withDocs = output.RemoveAllSyntaxTrees().AddSyntaxTrees(output.SyntaxTrees.Select(t => t.WithRootAndOptions(t.GetRoot(), parse.WithDocumentationMode(DocumentationMode.Diagnose))));
        var problems = withDocs.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs") == true).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(5, output.SyntaxTrees.Count(t => t.FilePath.EndsWith(".g.cs"))); // 3 blocks + 2 models
    }

    [Fact]
    public void A_block_member_named_like_a_layer_moves_the_layer_name_in_the_block_and_in_the_models_Layers_alike()
    {
        var run = GeneratorHarness.Run("""
            using ModelDsl;
            namespace Names
            {
                [Block]
                [Conv2d(Kernel = 3, Padding = 1), ReLU]
                public partial class Res { public int Conv1 => 1; }

                [Model(Channels = 2, Height = 8, Width = 8)]
                [Use<Res>]
                public partial class Net;
            }
            """);
        Assert.DoesNotContain(run.Mdsl, d => d.Severity == DiagnosticSeverity.Error);
        var assembly = run.Load(); // throws if the block's Conv property clashed with its own Conv1
        Assert.NotNull(assembly.GetType("Names.Res", throwOnError: true)!.GetProperty("Conv2"));
        var layers = (IReadOnlyList<LayerInfo>)assembly.GetType("Names.Net", throwOnError: true)!.GetProperty("Layers")!.GetValue(null)!;
        Assert.Equal(new[] { "Res1.Conv2", "Res1.Relu1" }, layers.Select(l => l.Name));
    }

    [Fact]
    public void Kitchen_sink_runs_and_its_compile_time_shapes_hold_at_run_time()
    {
        var run = GeneratorHarness.Run(KitchenSink.Source);
        var assembly = run.Load();
        foreach (var typeName in new[] { "Zoo.Vision.Everything", "Outer+NestedMlp" })
        {
            var type = assembly.GetType(typeName, throwOnError: true)!;
            var input = (Shape)type.GetProperty("InputShape")!.GetValue(null)!;
            var output = (Shape)type.GetProperty("OutputShape")!.GetValue(null)!;
            long count = (long)type.GetField("ParameterCount")!.GetValue(null)!;
            using var module = (torch.nn.Module<torch.Tensor, torch.Tensor>)Activator.CreateInstance(type)!;
            module.eval();
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var y = module.forward(torch.rand(input.WithBatch(3)));
            Assert.Equal(output.WithBatch(3), y.shape);
            Assert.Equal(count, module.parameters().Sum(p => p.numel()));

            // The compile-time receptive fields (Layers, ReceptiveField) equal the runtime's walk of Graph, layer by layer —
            // through a residual block's projection shortcut, upsamplings to fractional jumps, a transposed conv, adaptive pools.
            var graph = (ModelDsl.Interop.ModelGraph)type.GetProperty("Graph")!.GetValue(null)!;
            var computed = ModelDsl.Interop.ReceptiveField.PerLayer(graph).ToDictionary(r => r.Layer.TrimStart(), r => r.Field);
            var layers = (IReadOnlyList<LayerInfo>)type.GetProperty("Layers")!.GetValue(null)!;
            Assert.All(layers, l => Assert.Equal(computed[l.Name], l.ReceptiveField));
            Assert.Equal(ModelDsl.Interop.ReceptiveField.Of(graph), type.GetProperty("ReceptiveField")!.GetValue(null));
        }
    }
}
