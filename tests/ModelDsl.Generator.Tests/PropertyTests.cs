using System.Text;
using ModelDsl.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using TorchSharp;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// Random valid architectures — chains, and every fourth a graph with taps, merges, blocks, heads, reshapes, half
/// of those of any input size — all compiled in one compilation: what the generator computes at compile time
/// (OutputShape or each head's shape, ParameterCount, every <c>Layers</c> entry's shape; for nets of any size the
/// output at three accepted sizes) must be what TorchSharp produces
/// when the generated module runs <c>forward</c> on zeros — the per-layer shapes as forward hooks on the
/// layers (and the layers inside blocks) record them. The random nets come from <see cref="RandomArchitecture"/>,
/// which only keeps a layer when its (conservatively tracked) output is non-empty, so every net is one
/// PyTorch accepts; the generator must accept it too.
/// </summary>
public class PropertyTests
{
    private const int ModelCount = 1000;

    /// <summary>Every fourth net is a graph (<see cref="RandomGraphArchitecture"/>): taps, merges, blocks, heads, reshapes, any size.</summary>
    private static bool IsGraph(int i) => i % 4 == 3;

    private static string Declaration(int i)
        => IsGraph(i) ? new RandomGraphArchitecture(seed: 1000 + i).Declaration($"Random{i:D3}") : new RandomArchitecture(seed: 1000 + i).Declaration($"Random{i:D3}");

    [Fact]
    public void Compile_time_shapes_and_parameter_counts_equal_what_TorchSharp_computes()
    {
        var source = new StringBuilder(RandomArchitecture.Blocks);
        var names = new List<string>();
        for (int i = 0; i < ModelCount; i++)
        {
            source.AppendLine(Declaration(i));
            names.Add($"Random{i:D3}");
        }

        var run = GeneratorHarness.Run(source.ToString());
        Assert.Null(run.GeneratorException);
        var errors = run.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The generator rejected nets PyTorch accepts:\n" + string.Join("\n", errors.Take(10)));
        var assembly = run.Load();

        var failures = new List<string>();
        int featureMapOutputs = 0, flatOutputs = 0, graphs = 0, withHeads = 0, anySize = 0, anySizeRuns = 0, reshapes = 0;
        foreach (var name in names)
        {
            var type = assembly.GetType("Props." + name, throwOnError: true)!;
            long expectedCount = (long)type.GetField("ParameterCount")!.GetValue(null)!;
            var layers = (IReadOnlyList<LayerInfo>)type.GetProperty("Layers")!.GetValue(null)!;
            var heads = HeadNames(type);
            string summary = (string)type.GetField("Summary")!.GetValue(null)!;
            if (summary.Contains("Connected to")) graphs++;
            if (heads.Count > 0) withHeads++;
            if (layers.Any(l => l.Kind is "Reshape" or "Permute")) reshapes++;

            using var scope = torch.NewDisposeScope();
            using var module = (torch.nn.Module)Activator.CreateInstance(type)!;
            module.eval();
            using var noGrad = torch.no_grad();
            long actualCount = module.parameters().Sum(p => p.numel());
            if (actualCount != expectedCount)
                failures.Add($"{name}: ParameterCount {expectedCount} but TorchSharp counts {actualCount}");
            if (layers.Sum(l => l.Parameters) != expectedCount)
                failures.Add($"{name}: Layers' parameters do not add up to ParameterCount");
            // The compile-time receptive fields against the runtime's walk of Graph (the same rule, two walks): every layer both list.
            var graphOfNet = (ModelDsl.Interop.ModelGraph)type.GetProperty("Graph")!.GetValue(null)!;
            var fields = ModelDsl.Interop.ReceptiveField.PerLayer(graphOfNet).GroupBy(r => r.Layer.TrimStart()).ToDictionary(g => g.Key, g => g.Last().Field);
            foreach (var info in layers)
                if (info.ReceptiveField is null || fields.TryGetValue(info.Name, out var field) && field != info.ReceptiveField)
                    failures.Add($"{name}: Layers says {info.Name} sees {info.ReceptiveField?.ToString() ?? "nothing"}, the graph's walk {fields.GetValueOrDefault(info.Name)}");
            if (!Equals(type.GetProperty("ReceptiveField")!.GetValue(null), ModelDsl.Interop.ReceptiveField.Of(graphOfNet)))
                failures.Add($"{name}: ReceptiveField {type.GetProperty("ReceptiveField")!.GetValue(null)} but the graph's walk gives {ModelDsl.Interop.ReceptiveField.Of(graphOfNet)}");

            if (type.GetProperty("AcceptedInput")?.GetValue(null) is AnySizeInput accepted)
            {
                // Any size: three accepted sizes per net, the outputs against OutputShapeFor / {Head}ShapeFor.
                anySize++;
                var sizes = accepted.AcceptedHeights.Sizes;
                var widths = accepted.AcceptedWidths.Sizes;
                foreach (var (h, w) in new[] { (sizes[0], widths[Math.Min(3, widths.Count - 1)]), (sizes[Math.Min(2, sizes.Count - 1)], widths[0]), (sizes[Math.Min(9, sizes.Count - 1)], widths[Math.Min(5, widths.Count - 1)]) })
                {
                    var input = new Shape(accepted.Channels, h, w);
                    var expected = heads.Count == 0 ? new[] { ShapeFor(type, "OutputShapeFor", input) } : heads.Select(head => ShapeFor(type, head + "ShapeFor", input)).ToArray();
                    if (Forward(type, module, torch.zeros(input.WithBatch(1)), name, failures) is not { } outputs) break;
                    for (int k = 0; k < outputs.Length; k++)
                        if (!outputs[k].shape.SequenceEqual(expected[k].WithBatch(1)))
                            failures.Add($"{name} at {input}: {(heads.Count == 0 ? "OutputShapeFor" : heads[k] + "ShapeFor")} says {expected[k]} but TorchSharp gives {Shape.Format(outputs[k].shape[1..])}");
                    anySizeRuns++;
                }
                continue;
            }

            var fixedInput = (Shape)type.GetProperty("InputShape")!.GetValue(null)!;
            var expectedOutputs = heads.Count == 0
                ? new[] { (Shape)type.GetProperty("OutputShape")!.GetValue(null)! }
                : heads.Select(head => (Shape)type.GetProperty(head + "Shape")!.GetValue(null)!).ToArray();
            foreach (var shape in expectedOutputs) if (shape.IsFeatureMap) featureMapOutputs++; else flatOutputs++;
            var recorded = new Dictionary<string, long[]>();
            foreach (var info in layers)
            {
                if (FindLayer(module, info.Name) is not { } layer) { failures.Add($"{name}: no module for the Layers entry {info.Name}"); continue; }
                string key = info.Name;
                layer.register_forward_hook((_, _, output) => { recorded[key] = output.shape; return null!; });
            }
            if (Forward(type, module, torch.zeros(fixedInput.WithBatch(2)), name, failures) is not { } actual) continue;
            foreach (var info in layers)
            {
                if (!recorded.TryGetValue(info.Name, out var seen)) failures.Add($"{name}: no forward hook fired for the Layers entry {info.Name}");
                else if (!seen.SequenceEqual(info.OutputShape.WithBatch(2)))
                    failures.Add($"{name}: Layers says {info.Name} outputs {info.OutputShape}, its forward hook saw {Shape.Format(seen[1..])}");
            }
            for (int k = 0; k < actual.Length; k++)
                if (!actual[k].shape.SequenceEqual(expectedOutputs[k].WithBatch(2)))
                    failures.Add($"{name}: {(heads.Count == 0 ? "OutputShape" : heads[k] + "Shape")} {expectedOutputs[k]} but TorchSharp gives {Shape.Format(actual[k].shape[1..])}");
            // A chain's last row carries its output; a graph block that ends in a merge (its rows are its layers, the merge holds
            // no module) is checked through OutputShape and the forward pass above instead.
            var lastNode = ((ModelDsl.Interop.ModelGraph)type.GetProperty("Graph")!.GetValue(null)!).Nodes[^1];
            bool endsInGraphBlock = lastNode.Op is ModelDsl.Interop.BlockOp && lastNode.Inner.Any(n => n.Op is ModelDsl.Interop.TapOp or ModelDsl.Interop.FromOp);
            if (heads.Count == 0 && !summary.Contains("Connected to") && !endsInGraphBlock && (layers.Count == 0 || layers[^1].OutputShape != expectedOutputs[0]))
                failures.Add($"{name}: the last row of Layers does not carry the OutputShape");
        }

        Assert.True(failures.Count == 0, $"{failures.Count} problems in {ModelCount} nets:\n" + string.Join("\n", failures.Take(25))
            + "\n\nFirst failing declaration:\n" + FirstDeclaration(failures));
        // The generator must have been exercised on every kind of net, not just one.
        Assert.True(featureMapOutputs > 30 && flatOutputs > 30, $"{featureMapOutputs} feature-map and {flatOutputs} flat outputs");
        Assert.True(graphs >= 200 && withHeads >= 100 && anySize >= 80 && reshapes >= 50, $"{graphs} graphs, {withHeads} with heads, {anySize} of any size, {reshapes} with Reshape/Permute");
        Assert.Equal(3 * anySize, anySizeRuns);
        // Even-kernel 'same' convolutions with a padding mode (the explicitly padded family) must be among them.
        int explicitSamePadding = run.Result.Results.SelectMany(r => r.GeneratedSources).Count(s => s.SourceText.ToString().Contains("new global::ModelDsl.SamePaddedConv2d("));
        Assert.True(explicitSamePadding >= 3, $"only {explicitSamePadding} nets with an explicitly padded 'same' conv");
        // And generator v3's blocks: parameters with conditions and computed keys, taps and merges, a block in a block.
        foreach (var block in new[] { "PConv", "PInvRes", "PGate", "PFire", "PShuffle", "PCN" })
        {
            int uses = run.Result.Results.SelectMany(r => r.GeneratedSources).Count(s => s.HintName.StartsWith("Props.Random", StringComparison.Ordinal) && s.SourceText.ToString().Contains($"new global::Props.{block}("));
            Assert.True(uses >= 10, $"only {uses} nets use {block}");
        }
        // And ConvNeXt's layers in the models themselves (typed properties; the constructor writes a target-typed new).
        foreach (var module in new[] { "LayerScale", "PointwiseLinear" })
        {
            int nets = run.Result.Results.SelectMany(r => r.GeneratedSources).Count(s => s.HintName.StartsWith("Props.Random", StringComparison.Ordinal) && s.SourceText.ToString().Contains($"public global::ModelDsl.{module} "));
            Assert.True(nets >= 10, $"only {nets} nets hold a {module}");
        }
        // So must transposed convs with a rectangular output padding (the family TorchSharp's own module gets wrong).
        int rectangularOutputPadding = run.Result.Results.SelectMany(r => r.GeneratedSources).Count(s => s.SourceText.ToString().Contains("new global::ModelDsl.OutputPaddedConvTranspose2d("));
        Assert.True(rectangularOutputPadding >= 3, $"only {rectangularOutputPadding} nets with a rectangular output padding");
    }

    /// <summary>The heads of a model with heads (the output record's constructor parameters, in order); empty for one output.</summary>
    private static IReadOnlyList<string> HeadNames(Type model)
        => model.Assembly.GetType(model.FullName + "Output") is { } record ? record.GetConstructors().Single().GetParameters().Select(p => p.Name!).ToList() : Array.Empty<string>();

    private static Shape ShapeFor(Type model, string method, Shape input) => (Shape)model.GetMethod(method)!.Invoke(null, new object[] { input })!;

    /// <summary>forward's tensors: the one output, or every head's in order; null (with the failure noted) when forward throws.</summary>
    private static torch.Tensor[]? Forward(Type model, torch.nn.Module module, torch.Tensor input, string name, List<string> failures)
    {
        try
        {
            var output = model.GetMethod("forward", new[] { typeof(torch.Tensor) })!.Invoke(module, new object[] { input });
            return output is IModelOutput heads ? heads.Heads.ToArray() : new[] { (torch.Tensor)output! };
        }
        catch (System.Reflection.TargetInvocationException e)
        {
            failures.Add($"{name}: forward threw {e.InnerException!.GetType().Name}: {e.InnerException.Message.Split('\n')[0]}");
            return null;
        }
    }

    /// <summary>The module behind a Layers name: "Conv1" is a property of the model, "Res1.Conv2" of a block, "Res1.Shortcut.Conv" a child of the shortcut's Sequential.</summary>
    private static torch.nn.Module<torch.Tensor, torch.Tensor>? FindLayer(torch.nn.Module model, string path)
    {
        object? current = model;
        foreach (var part in path.Split('.'))
        {
            current = current?.GetType().GetProperty(part)?.GetValue(current)
                ?? (current as torch.nn.Module)?.named_children().FirstOrDefault(c => c.name == part).module;
        }
        return current as torch.nn.Module<torch.Tensor, torch.Tensor>;
    }

    private static string FirstDeclaration(List<string> failures)
    {
        if (failures.Count == 0) return "";
        int i = int.Parse(failures[0].Substring("Random".Length, 3));
        return Declaration(i);
    }
}
