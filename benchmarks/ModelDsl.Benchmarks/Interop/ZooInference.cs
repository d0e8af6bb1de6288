using System.Diagnostics;
using ModelDsl.Benchmarks.SourceGeneration;
using ModelDsl.Interop;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Interop;

/// <summary>
/// The zoo's models (src/ModelDsl.Zoo) at 224×224: parameters, TorchSharp's CPU forward (eval, no_grad) and ONNX Runtime's on
/// the export, at batch 1 and 32, interleaved so machine noise hits both alike (docs/ZOO.md). Quick mode:
/// <c>quick zoo-inference [--repeats 3] [--threads 2] [--models ResNet18,MobileNetV2] [--batches 1,32]</c>.
/// </summary>
public sealed class ZooInference : IQuickBenchmark
{
    public string Name => "zoo-inference";

    public void Run(string[] args, TextWriter output)
    {
        int repeats = int.Parse(GeneratorCost.Option(args, "--repeats", "3"));
        int threads = int.Parse(GeneratorCost.Option(args, "--threads", "2"));
        var batches = GeneratorCost.Option(args, "--batches", "1,32").Split(',').Select(int.Parse).ToArray();
        torch.set_num_threads(threads);
        var models = OnnxInference.GeneratedModels(typeof(ModelDsl.Zoo.ResNet18).Assembly, GeneratorCost.Option(args, "--models", ""));
        string folder = Directory.CreateTempSubdirectory("modeldsl-zoo-bench-").FullName;
        output.WriteLine("| model | parameters | batch | TorchSharp (ms/batch) | ONNX Runtime (ms/batch) | ORT / TorchSharp time |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        try
        {
            foreach (var type in models)
            {
                var graph = (ModelGraph)type.GetProperty("Graph")!.GetValue(null)!;
                using var model = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type)!;
                model.eval();
                long parameters = (long)type.GetField("ParameterCount")!.GetValue(null)!;
                string file = Path.Combine(folder, type.Name + ".onnx");
                // VGG's 7×7 adaptive pool has no dynamic ONNX form: every model is exported at the size it runs at.
                OnnxExport.Write(model, graph, file, OnnxExport.DefaultOpset, (224, 224));
                using var options = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
                using var predictor = new OnnxPredictor(file, options);
                foreach (int batch in batches)
                {
                    var shape = new long[] { batch, 3, 224, 224 };
                    using var x = rand(shape);
                    var values = x.data<float>().ToArray();
                    var torchTimes = new List<double>();
                    var ortTimes = new List<double>();
                    for (int r = 0; r < repeats + 1; r++)
                    {
                        double t = OnnxInference.TimeTorch(model, x), o = OnnxInference.TimeOrt(predictor, values, shape);
                        if (r >= 1) { torchTimes.Add(t); ortTimes.Add(o); } // one warm-up round
                    }
                    double torchMs = 1000 * GeneratorCost.Median(torchTimes), ortMs = 1000 * GeneratorCost.Median(ortTimes);
                    output.WriteLine($"| {type.Name} | {parameters:N0} | {batch} | {torchMs:N1} | {ortMs:N1} | {ortMs / torchMs:F2} |");
                    output.Flush();
                }
                File.Delete(file);
            }
        }
        finally { Directory.Delete(folder, recursive: true); }
        output.WriteLine($"(medians of {repeats} interleaved runs after one warm-up; {threads} intra-op threads in both; 3×224×224 inputs)");
    }
}
