using System.Diagnostics;
using System.Reflection;
using ModelDsl.Benchmarks.SourceGeneration;
using ModelDsl.Interop;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Interop;

/// <summary>
/// ONNX Runtime (CPU) inference of the exported course models against TorchSharp's CPU forward (eval mode,
/// no_grad), at batch 1 and 64, interleaved so machine noise hits both alike; and the export time per model.
/// Quick mode: <c>quick onnx-inference [--repeats 7] [--threads 2] [--models LeNet5,CifarCnn]</c>.
/// </summary>
public sealed class OnnxInference : IQuickBenchmark
{
    public string Name => "onnx-inference";

    public void Run(string[] args, TextWriter output)
    {
        int repeats = int.Parse(GeneratorCost.Option(args, "--repeats", "7"));
        // The same intra-op thread count for both engines (default: the 2 cores the project's machines have).
        int threads = int.Parse(GeneratorCost.Option(args, "--threads", "2"));
        torch.set_num_threads(threads);
        var models = GeneratedModels(typeof(ModelDsl.Samples.LeNet5).Assembly, GeneratorCost.Option(args, "--models", ""));
        string folder = Directory.CreateTempSubdirectory("modeldsl-onnx-bench-").FullName;
        output.WriteLine("| model | input | batch | TorchSharp (img/s) | ONNX Runtime (img/s) | ORT / TorchSharp | export (ms) |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        try
        {
            foreach (var type in models)
            {
                var graph = (ModelGraph)type.GetProperty("Graph")!.GetValue(null)!;
                using var model = (nn.Module)Activator.CreateInstance(type)!;
                model.eval();
                string file = Path.Combine(folder, type.Name + ".onnx");
                var exports = new List<double>();
                for (int r = 0; r < 3; r++)
                {
                    var sw = Stopwatch.StartNew();
                    OnnxExport.Write(model, graph, file);
                    exports.Add(sw.Elapsed.TotalMilliseconds);
                }
                using var options = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
                using var predictor = new OnnxPredictor(file, options);
                foreach (int batch in new[] { 1, 64 })
                {
                    var shape = graph.Input.WithBatch(batch); // any-size models run at their reference size
                    using var x = rand(shape);
                    var values = x.data<float>().ToArray();
                    var torchTimes = new List<double>();
                    var ortTimes = new List<double>();
                    for (int r = 0; r < repeats + 2; r++)
                    {
                        double t = TimeTorch(model, x), o = TimeOrt(predictor, values, shape);
                        if (r >= 2) { torchTimes.Add(t); ortTimes.Add(o); } // two warm-up rounds
                    }
                    double torchRate = batch / GeneratorCost.Median(torchTimes), ortRate = batch / GeneratorCost.Median(ortTimes);
                    output.WriteLine($"| {type.Name} | {graph.Input}{(graph.AnySize ? " (any size)" : "")} | {batch} | {torchRate:N0} | {ortRate:N0} | {ortRate / torchRate:F2} | {(batch == 1 ? GeneratorCost.Median(exports).ToString("F0") : "")} |");
                }
            }
        }
        finally { Directory.Delete(folder, recursive: true); }
        output.WriteLine($"(medians of {repeats} interleaved runs; {threads} intra-op threads in both; export: median of 3, file write included)");
    }

    /// <summary>The generated models of <paramref name="assembly"/> (those with a Graph), by name; only those listed in <paramref name="only"/> (comma-separated) when it is not empty.</summary>
    internal static List<Type> GeneratedModels(Assembly assembly, string only) => assembly.GetTypes()
        .Where(t => t.GetProperty("Graph", BindingFlags.Public | BindingFlags.Static)?.PropertyType == typeof(ModelGraph))
        .Where(t => only.Length == 0 || only.Split(',').Contains(t.Name))
        .OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

    internal static double TimeTorch(nn.Module model, Tensor x)
    {
        var sw = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // A model with heads returns its output record (one tensor per head).
        var outputs = model is nn.Module<Tensor, Tensor> single ? new[] { single.call(x) }
            : ((IModelOutput)model.GetType().GetMethod("call", new[] { typeof(Tensor) })!.Invoke(model, new object[] { x })!).Heads;
        foreach (var y in outputs) _ = y.data<float>()[0];
        return sw.Elapsed.TotalSeconds;
    }

    internal static double TimeOrt(OnnxPredictor predictor, float[] values, long[] shape)
    {
        var sw = Stopwatch.StartNew();
        _ = predictor.Run(values, shape);
        return sw.Elapsed.TotalSeconds;
    }
}
