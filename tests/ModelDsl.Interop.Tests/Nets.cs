using System.Reflection;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Interop.Tests;

/// <summary>What the interop tests do to every net: instantiate it with non-trivial statistics, run it in eval mode, compare outputs.</summary>
public static class Nets
{
    /// <summary>The relative tolerance the issue sets: 1e-4 of the output's scale (its largest magnitude).</summary>
    public const double Tolerance = 1e-4;

    /// <summary>The generated models of the course (samples/CourseModels): every type with a generated Graph.</summary>
    public static IReadOnlyList<Type> CourseModels { get; } = typeof(ModelDsl.Samples.LeNet5).Assembly.GetTypes()
        .Where(t => t.GetProperty("Graph", BindingFlags.Public | BindingFlags.Static)?.PropertyType == typeof(ModelGraph))
        .OrderBy(t => t.Name).ToArray();

    public static ModelGraph GraphOf(Type model) => (ModelGraph)model.GetProperty("Graph")!.GetValue(null)!;

    /// <summary>A fresh instance in eval mode whose batch norms have random running statistics, so eval-mode batch norm is not the identity.</summary>
    public static nn.Module Create(Type model, int seed)
    {
        manual_seed(seed);
        var module = (nn.Module)Activator.CreateInstance(model)!;
        using (no_grad())
        {
            foreach (var (name, buffer) in module.named_buffers())
            {
                if (name.EndsWith("running_mean")) buffer.copy_(rand_like(buffer) - 0.5);
                else if (name.EndsWith("running_var")) buffer.copy_(rand_like(buffer) + 0.5);
            }
            // Affine batch norms start at weight 1, bias 0; move them too.
            foreach (var (name, parameter) in module.named_parameters())
                if (name.Contains("BatchNorm") || name.Contains(".bn")) parameter.add_(rand_like(parameter) * 0.2 - 0.1);
        }
        module.eval();
        return module;
    }

    /// <summary>
    /// TorchSharp's eval-mode forward: each output's name (the ONNX file's: "output", or each head's name for a
    /// model with heads), values and shape.
    /// </summary>
    public static IReadOnlyList<(string Name, float[] Values, long[] Shape)> Outputs(nn.Module module, Tensor input)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (module is nn.Module<Tensor, Tensor> single)
        {
            var y = single.call(input);
            return new[] { (OnnxExport.OutputName, y.contiguous().data<float>().ToArray(), y.shape) };
        }
        var heads = (IModelOutput)module.GetType().GetMethod("call", new[] { typeof(Tensor) })!.Invoke(module, new object[] { input })!;
        return heads.HeadNames.Zip(heads.Heads, (name, y) => (name, y.contiguous().data<float>().ToArray(), y.shape)).ToArray();
    }

    /// <summary>Equal shapes, and values within <paramref name="tolerance"/> of the expected output's scale (its largest magnitude, at least 1).</summary>
    public static void AssertSame(Tensor expected, Tensor actual, string what, double tolerance)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var scope = NewDisposeScope();
        double scale = Math.Max(1, expected.abs().max().item<float>()), diff = (expected - actual).abs().max().item<float>();
        Assert.True(diff <= tolerance * scale, $"{what}: max |difference| {diff.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)} (scale {scale.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)})");
    }

    /// <summary>Null when <paramref name="actual"/> equals <paramref name="expected"/> within <see cref="Tolerance"/> of the expected output's scale (at least 1); else what differs.</summary>
    public static string? Difference(float[] expected, float[] actual, long[] actualShape, long[] expectedShape)
    {
        if (!actualShape.SequenceEqual(expectedShape)) return $"shape {string.Join("×", actualShape)}, expected {string.Join("×", expectedShape)}";
        // A window entirely in a max pool's padding is −∞ in PyTorch, and what follows may make it NaN: the same non-finite value in both counts as equal.
        var finite = expected.Where(float.IsFinite).ToArray();
        double scale = finite.Length == 0 ? 0 : finite.Max(v => Math.Abs((double)v));
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            if (!float.IsFinite(expected[i]))
            {
                if (!(float.IsNaN(expected[i]) ? float.IsNaN(actual[i]) : expected[i] == actual[i])) return $"element {i} is {expected[i]} in TorchSharp but {actual[i]} in the export";
                continue;
            }
            double d = Math.Abs((double)expected[i] - actual[i]);
            if (!(d <= worst)) { worst = d; at = i; }
        }
        // The inputs are randn and the layers initialised as PyTorch does, so intermediates are of order 1: a difference
        // below Tolerance absolute is float32 rounding of such values — also where a cancellation leaves an output near 0
        // (a LayerNorm2d over one channel is exactly 0 in libtorch 2.10 and ~1e-6 in PyTorch 1.13) — while a wrong
        // translation (a padding, a stride, an op) differs at the output's own scale.
        double allowed = Tolerance * Math.Max(scale, 1);
        return worst <= allowed ? null : $"largest difference {worst:G3} at element {at} ({expected[at]} vs {actual[at]}), allowed {allowed:G3} (scale {scale:G3})";
    }

    /// <summary>A temporary folder removed at dispose.</summary>
    public sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("modeldsl-interop-").FullName;

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
        }
    }
}
