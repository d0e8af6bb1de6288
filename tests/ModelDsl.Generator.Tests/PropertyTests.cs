using System.Text;
using ModelDsl.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using TorchSharp;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// Random valid architectures, all compiled in one compilation: what the generator computes at compile
/// time (OutputShape, ParameterCount, every <c>Layers</c> entry's shape) must be what TorchSharp produces
/// when the generated module runs <c>forward</c> on zeros — the per-layer shapes as forward hooks on the
/// layers (and the layers inside blocks) record them. The random nets come from <see cref="RandomArchitecture"/>,
/// which only keeps a layer when its (conservatively tracked) output is non-empty, so every net is one
/// PyTorch accepts; the generator must accept it too.
/// </summary>
public class PropertyTests
{
    private const int ModelCount = 1000;

    [Fact]
    public void Compile_time_shapes_and_parameter_counts_equal_what_TorchSharp_computes()
    {
        var source = new StringBuilder(RandomArchitecture.Blocks);
        var names = new List<string>();
        for (int i = 0; i < ModelCount; i++)
        {
            var arch = new RandomArchitecture(seed: 1000 + i);
            string name = $"Random{i:D3}";
            source.AppendLine(arch.Declaration(name));
            names.Add(name);
        }

        var run = GeneratorHarness.Run(source.ToString());
        Assert.Null(run.GeneratorException);
        var errors = run.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The generator rejected nets PyTorch accepts:\n" + string.Join("\n", errors.Take(10)));
        var assembly = run.Load();

        var failures = new List<string>();
        int featureMapOutputs = 0, flatOutputs = 0;
        foreach (var name in names)
        {
            var type = assembly.GetType("Props." + name, throwOnError: true)!;
            var input = (Shape)type.GetProperty("InputShape")!.GetValue(null)!;
            var expected = (Shape)type.GetProperty("OutputShape")!.GetValue(null)!;
            long expectedCount = (long)type.GetField("ParameterCount")!.GetValue(null)!;
            var layers = (IReadOnlyList<LayerInfo>)type.GetProperty("Layers")!.GetValue(null)!;
            if (expected.IsFeatureMap) featureMapOutputs++; else flatOutputs++;

            using var scope = torch.NewDisposeScope();
            using var module = (torch.nn.Module<torch.Tensor, torch.Tensor>)Activator.CreateInstance(type)!;
            module.eval();
            var recorded = new Dictionary<string, long[]>();
            foreach (var info in layers)
            {
                if (FindLayer(module, info.Name) is not { } layer) { failures.Add($"{name}: no module for the Layers entry {info.Name}"); continue; }
                string key = info.Name;
                layer.register_forward_hook((_, _, output) => { recorded[key] = output.shape; return null!; });
            }
            using var noGrad = torch.no_grad();
            long actualCount = module.parameters().Sum(p => p.numel());
            long[] actualShape;
            try
            {
                actualShape = module.forward(torch.zeros(input.WithBatch(2))).shape;
            }
            catch (Exception e)
            {
                failures.Add($"{name}: forward threw {e.GetType().Name}: {e.Message.Split('\n')[0]}");
                continue;
            }
            foreach (var info in layers)
            {
                if (!recorded.TryGetValue(info.Name, out var seen)) failures.Add($"{name}: no forward hook fired for the Layers entry {info.Name}");
                else if (!seen.SequenceEqual(info.OutputShape.WithBatch(2)))
                    failures.Add($"{name}: Layers says {info.Name} outputs {info.OutputShape}, its forward hook saw {Shape.Format(seen[1..])}");
            }
            if (!actualShape.SequenceEqual(expected.WithBatch(2)))
                failures.Add($"{name}: OutputShape {expected} but TorchSharp gives {Shape.Format(actualShape[1..])}");
            if (actualCount != expectedCount)
                failures.Add($"{name}: ParameterCount {expectedCount} but TorchSharp counts {actualCount}");
            if (layers.Count == 0 || layers[^1].OutputShape != expected)
                failures.Add($"{name}: the last row of Layers does not carry the OutputShape");
            if (layers.Sum(l => l.Parameters) != expectedCount)
                failures.Add($"{name}: Layers' parameters do not add up to ParameterCount");
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {ModelCount} nets disagree with TorchSharp:\n" + string.Join("\n", failures.Take(25))
            + "\n\nFirst failing declaration:\n" + FirstDeclaration(failures));
        // The generator must have been exercised on both kinds of output, not just one.
        Assert.True(featureMapOutputs > 30 && flatOutputs > 30, $"{featureMapOutputs} feature-map and {flatOutputs} flat outputs");
        // Even-kernel 'same' convolutions with a padding mode (the explicitly padded family) must be among them.
        int explicitSamePadding = run.Result.Results.SelectMany(r => r.GeneratedSources).Count(s => s.SourceText.ToString().Contains("new global::ModelDsl.SamePaddedConv2d("));
        Assert.True(explicitSamePadding >= 3, $"only {explicitSamePadding} nets with an explicitly padded 'same' conv");
        // So must transposed convs with a rectangular output padding (the family TorchSharp's own module gets wrong).
        int rectangularOutputPadding = run.Result.Results.SelectMany(r => r.GeneratedSources).Count(s => s.SourceText.ToString().Contains("new global::ModelDsl.OutputPaddedConvTranspose2d("));
        Assert.True(rectangularOutputPadding >= 3, $"only {rectangularOutputPadding} nets with a rectangular output padding");
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
        return new RandomArchitecture(1000 + i).Declaration("Random" + i.ToString("D3"));
    }
}
