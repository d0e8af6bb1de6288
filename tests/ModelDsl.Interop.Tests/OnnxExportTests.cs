using System.Text;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Interop.Tests;

/// <summary>
/// Every exported file runs in ONNX Runtime with TorchSharp's eval-mode outputs (within 1e-4 of the output's
/// scale) and passes the onnx checker with shape inference: the course models, random chains of every layer
/// kind from the property test's generator, and random graph nets at a fixed size and at any size (two sizes).
/// </summary>
public class OnnxExportTests
{
    private const int RandomChains = 200;
    private const int RandomGraphs = 30;

    [Fact]
    public void Course_models_run_in_ONNX_Runtime_as_in_TorchSharp()
    {
        using var folder = new Nets.TempFolder();
        var files = new List<string>();
        var failures = new List<string>();
        foreach (var type in Nets.CourseModels)
        {
            var graph = Nets.GraphOf(type);
            using var module = Nets.Create(type, seed: 7);
            string file = folder.File(type.Name + ".onnx");
            type.GetMethod("ExportOnnx", new[] { typeof(string), typeof(int) })!.Invoke(module, new object[] { file, OnnxExport.DefaultOpset });
            files.Add(file);
            foreach (var input in InputsFor(graph, batch: 2, type))
                if (Compare(module, file, input) is { } problem) failures.Add($"{type.Name} at {string.Join("×", input.shape)}: {problem}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(files.Count >= 9, $"only {files.Count} course models found");
        OnnxChecker.Check(files);
    }

    [Fact]
    public void Random_chains_of_every_layer_kind_run_in_ONNX_Runtime_as_in_TorchSharp()
    {
        var source = new StringBuilder(RandomArchitecture.Blocks);
        for (int i = 0; i < RandomChains; i++) source.AppendLine(new RandomArchitecture(seed: 5000 + i).Declaration($"Chain{i:D3}"));
        var assembly = Compile(source.ToString());

        using var folder = new Nets.TempFolder();
        var files = new List<string>();
        var failures = new List<string>();
        var opsets = new[] { 13, 17 };
        var kinds = new HashSet<string>();
        for (int i = 0; i < RandomChains; i++)
        {
            var type = assembly.GetType($"Props.Chain{i:D3}", throwOnError: true)!;
            var graph = Nets.GraphOf(type);
            foreach (var node in graph.Nodes.SelectMany(n => n.Inner.Prepend(n))) kinds.Add(node.Op.GetType().Name + (node.Op is Conv2dOp c ? c.PaddingMode.ToString() : node.Op is UpsampleOp u ? u.Mode.ToString() : ""));
            using var module = Nets.Create(type, seed: i);
            string file = folder.File(type.Name + ".onnx");
            try { OnnxExport.Write(module, graph, file, opsets[i % opsets.Length]); }
            catch (Exception e) { failures.Add($"{type.Name}: export threw {e.GetType().Name}: {e.Message}"); continue; }
            files.Add(file);
            foreach (var input in InputsFor(graph, batch: 3, type))
                if (Compare(module, file, input) is { } problem) failures.Add($"{type.Name}: {problem}\n{Declaration(source.ToString(), type.Name)}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {RandomChains} nets differ:\n" + string.Join("\n", failures.Take(15)));
        foreach (var kind in new[] { "Conv2dOpZeros", "Conv2dOpReflect", "Conv2dOpReplicate", "Conv2dOpCircular", "ConvTranspose2dOp", "Pool2dOp", "AdaptiveAvgPool2dOp", "BatchNormOp", "UpsampleOpNearest", "UpsampleOpBilinear", "UpsampleOpBicubic", "BlockOp", "LinearOp", "SoftmaxOp", "DropoutOp" })
            Assert.Contains(kind, kinds);
        OnnxChecker.Check(files);
    }

    [Fact]
    public void Random_graph_nets_run_in_ONNX_Runtime_at_a_fixed_size_and_at_two_sizes_of_any_size()
    {
        var random = new Random(20261203);
        var source = new StringBuilder("using ModelDsl;\nnamespace Graphs;\n");
        for (int i = 0; i < RandomGraphs; i++)
        {
            var (layers, channels) = RandomGraph.Next(random);
            source.Append($"[Model(Channels = {channels}, Height = 32, Width = 32)]\n{layers}\npublic partial class Fixed{i};\n");
            source.Append($"[Model(Channels = {channels})]\n{layers}\npublic partial class Any{i};\n");
        }
        var assembly = Compile(source.ToString());

        using var folder = new Nets.TempFolder();
        var files = new List<string>();
        var failures = new List<string>();
        int merges = 0, anySizeRuns = 0;
        for (int i = 0; i < RandomGraphs; i++)
        {
            foreach (var name in new[] { $"Fixed{i}", $"Any{i}" })
            {
                var type = assembly.GetType("Graphs." + name, throwOnError: true)!;
                var graph = Nets.GraphOf(type);
                merges += graph.Nodes.Count(n => n.Op is AddOp or ConcatOp);
                using var module = Nets.Create(type, seed: i);
                string file = folder.File(name + ".onnx");
                OnnxExport.Write(module, graph, file, i % 2 == 0 ? 13 : 17);
                files.Add(file);
                foreach (var input in InputsFor(graph, batch: 2, type))
                {
                    if (graph.AnySize) anySizeRuns++;
                    if (Compare(module, file, input) is { } problem) failures.Add($"{name} at {string.Join("×", input.shape)}: {problem}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(15)));
        Assert.True(merges > RandomGraphs, $"only {merges} merges");
        Assert.Equal(2 * RandomGraphs, anySizeRuns);
        OnnxChecker.Check(files);
    }

    [Fact]
    public void Newer_opsets_export_the_same_network()
    {
        using var folder = new Nets.TempFolder();
        foreach (var type in new[] { typeof(ModelDsl.Samples.CifarCnn), typeof(ModelDsl.Samples.DigitUNet) })
        {
            using var module = Nets.Create(type, seed: 3);
            var graph = Nets.GraphOf(type);
            foreach (int opset in new[] { 13, 18, 21 })
            {
                string file = folder.File($"{type.Name}-{opset}.onnx");
                OnnxExport.Write(module, graph, file, opset);
                Assert.Equal(opset, OnnxIo.Read(file).OpsetImport.Single().Version);
                foreach (var input in InputsFor(graph, batch: 1, type))
                    Assert.Null(Compare(module, file, input));
            }
        }
    }

    [Fact]
    public void An_opset_outside_the_range_is_refused_naming_the_model()
    {
        using var module = Nets.Create(typeof(ModelDsl.Samples.LeNet5), seed: 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => OnnxExport.Build(module, ModelDsl.Samples.LeNet5.Graph, opset: 12));
        Assert.Contains("LeNet5: ONNX export writes opsets 13 to 21", e.Message);
    }

    [Fact]
    public void An_adaptive_pool_in_a_net_of_any_size_is_refused_naming_the_layer()
    {
        var assembly = Compile("""
            using ModelDsl;
            namespace Refused;
            [Model(Channels = 3)]
            [Conv2d(8, 3), AdaptiveAvgPool2d(2, 3), Flatten, Linear(4)]
            public partial class AnyAdaptive;
            """);
        var type = assembly.GetType("Refused.AnyAdaptive", throwOnError: true)!;
        using var module = Nets.Create(type, seed: 1);
        var e = Assert.Throws<NotSupportedException>(() => OnnxExport.Build(module, Nets.GraphOf(type)));
        Assert.Equal("AnyAdaptive: layer AdaptivePool1 cannot be exported to ONNX: ONNX has no adaptive pool, and in a net of any size the 2×3 windows depend on the input size; export at a fixed size (ExportOnnx(path, height, width)), use GlobalAvgPool, or declare Height and Width.", e.Message);

        // At a fixed size, as torch.onnx traces one: the pool's windows are those of that size (here 5×7 → 2×3, overlapping).
        using var folder = new Nets.TempFolder();
        string file = folder.File("AnyAdaptive.onnx");
        type.GetMethod("ExportOnnx", new[] { typeof(string), typeof(int), typeof(int), typeof(int) })!.Invoke(module, new object[] { file, 7, 9, OnnxExport.DefaultOpset });
        using var input = randn(2, 3, 7, 9);
        Assert.Null(Compare(module, file, input));
        OnnxChecker.Check(new[] { file });
        // A fixed-size model has its size already; a size below one is no size.
        var fixedSize = Assert.Throws<ArgumentException>(() => OnnxExport.Build(module, Nets.GraphOf(type), fixedSize: (0, 9)));
        Assert.Contains("a fixed export size needs a positive height and width, not 0×9", fixedSize.Message);
    }

    [Fact]
    public void A_layer_without_an_export_is_refused_naming_it()
    {
        var graph = new ModelGraph("Future", new Shape(3, 8, 8), false, new Shape(3, 8, 8),
            new[] { new GraphNode("Reshape1", "", new UnsupportedOp("Reshape"), new Shape(3, 8, 8), new Shape(3, 8, 8)) });
        using var module = nn.Identity();
        var e = Assert.Throws<NotSupportedException>(() => OnnxExport.Build(module, graph));
        Assert.Equal("Future: layer Reshape1 cannot be exported to ONNX: the exporter has no ONNX translation for Reshape yet.", e.Message);
    }

    /// <summary>Random inputs: one at the declared size, or two accepted sizes for a net of any size.</summary>
    internal static IEnumerable<Tensor> InputsFor(ModelGraph graph, int batch, Type? model = null)
    {
        var input = graph.Input;
        if (input.IsFlat) { yield return randn(batch, input.Features); yield break; }
        if (!graph.AnySize) { yield return randn(input.WithBatch(batch)); yield break; }
        var accepted = (AnySizeInput)(model ?? throw new ArgumentNullException(nameof(model))).GetProperty("AcceptedInput")!.GetValue(null)!;
        var heights = accepted.AcceptedHeights.Sizes;
        var widths = accepted.AcceptedWidths.Sizes;
        yield return randn(batch, input.Channels, heights[0], widths[Math.Min(1, widths.Count - 1)]);
        yield return randn(batch, input.Channels, heights[Math.Min(3, heights.Count - 1)], widths[Math.Min(2, widths.Count - 1)]);
    }

    /// <summary>Null when ONNX Runtime's output for <paramref name="input"/> equals the module's eval-mode forward.</summary>
    internal static string? Compare(nn.Module module, string file, Tensor input)
    {
        var expected = Nets.Outputs(module, input);
        try
        {
            using var predictor = new OnnxPredictor(file);
            var outputs = predictor.Run(input.data<float>().ToArray(), input.shape);
            if (!outputs.Select(o => o.Name).SequenceEqual(expected.Select(e => e.Name)))
                return $"outputs {string.Join(", ", outputs.Select(o => o.Name))}, expected {string.Join(", ", expected.Select(e => e.Name))}";
            var problems = expected.Zip(outputs, (e, o) => Nets.Difference(e.Values, o.Values, o.Shape, e.Shape) is { } p ? $"{e.Name}: {p}" : null).Where(p => p is not null).ToList();
            return problems.Count == 0 ? null : string.Join("; ", problems);
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
        {
            return "ONNX Runtime refused it: " + e.Message;
        }
    }

    internal static System.Reflection.Assembly Compile(params string[] sources)
    {
        var run = GeneratorHarness.Run(sources);
        Assert.Null(run.GeneratorException);
        var errors = run.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(10)));
        return run.Load();
    }

    private static string Declaration(string source, string name)
    {
        int end = source.IndexOf($"public partial class {name};", StringComparison.Ordinal);
        int start = source.LastIndexOf("[Model", end, StringComparison.Ordinal);
        return source.Substring(start, end - start);
    }
}
