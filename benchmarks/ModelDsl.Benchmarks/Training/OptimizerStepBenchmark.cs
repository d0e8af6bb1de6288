using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using ModelDsl.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Training;

/// <summary>
/// One optimizer step (zero_grad excluded) over a model's parameters with fixed random gradients:
/// TorchSharp's optim.SGD(momentum)/Adam/AdamW (a C# loop of several kernels per parameter tensor)
/// vs ModelDsl's flat-buffer FusedSGD/FusedAdam/FusedAdamW, two parameter groups (the Learner's
/// Features/Classifier stages). ms per step, median of 50 after 10 warm-ups. Compare with
/// benchmarks/python/optimizer_step.py.
/// </summary>
public sealed class OptimizerStepBenchmark : IQuickBenchmark
{
    public string Name => "optimizer-step";

    public void Run(string[] args, TextWriter output)
    {
        TrainingBench.Threads(args);
        if (TrainingBench.Option(args, "--chunk") is { } chunk) FusedOptimizer.CpuChunkElements = long.Parse(chunk);
        output.WriteLine($"fused chunk: {FusedOptimizer.CpuChunkElements:N0} elements");
        output.WriteLine($"torch threads: {get_num_threads()}, device CPU, interleaved, median of 60 steps each");
        output.WriteLine($"{"model",-10} {"params",10} {"optimizer",-8} {"TorchSharp ms",14} {"fused ms",10} {"speed-up",9}");
        foreach (var (name, make) in new (string, Func<nn.Module<Tensor, Tensor>>)[] { ("CifarCnn", () => new ModelDsl.Samples.CifarCnn()), ("SmallNet", () => new SmallNet()) })
        {
            foreach (var opt in new[] { "SGD", "Adam", "AdamW" })
            {
                var (reference, fused, count) = TimeInterleaved(make, opt);
                output.WriteLine($"{name,-10} {count,10:N0} {opt,-8} {reference,14:F3} {fused,10:F3} {reference / fused,8:F2}×");
            }
        }
    }

    /// <summary>
    /// Both optimizers on two copies of the model, stepped alternately (reference, fused, reference, …)
    /// so that both see the same background load on a shared machine; medians of 60 steps each after 10 warm-ups.
    /// </summary>
    private static (double Reference, double Fused, long Count) TimeInterleaved(Func<nn.Module<Tensor, Tensor>> make, string kind)
    {
        using var a = make();
        using var b = make();
        var ga = Groups(a);
        var gb = Groups(b);
        long count = ga.Sum(g => g.Sum(p => p.numel()));
        using var ref_ = Build(kind, ga, fused: false);
        using var fus = Build(kind, gb, fused: true);
        var ta = new List<double>();
        var tb = new List<double>();
        for (int i = 0; i < 70; i++)
        {
            var sw = Stopwatch.StartNew();
            ref_.step();
            double x = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            fus.step();
            double y = sw.Elapsed.TotalMilliseconds;
            if (i >= 10) { ta.Add(x); tb.Add(y); }
        }
        return (TrainingBench.Median(ta), TrainingBench.Median(tb), count);
    }

    internal static List<IReadOnlyList<Parameter>> Groups(nn.Module model)
    {
        using (no_grad()) foreach (var p in model.parameters()) p.grad = randn_like(p).mul_(1e-2);
        return model.named_children().Select(c => (IReadOnlyList<Parameter>)c.module.parameters().ToList()).Where(g => g.Count > 0).ToList();
    }

    internal static OptimizerHelper Build(string kind, List<IReadOnlyList<Parameter>> groups, bool fused)
    {
        // What OptimizerSpec.SGD/Adam/AdamW(fused: …) build for the Learner, one group per stage.
        const double lr = 1e-3;
        return (kind, fused) switch
        {
            ("SGD", false) => optim.SGD(groups.Select(g => new SGD.ParamGroup(g, lr, 0.9, 0, 1e-4, false, false)), lr),
            ("SGD", true) => new FusedSGD(groups.Select(g => FusedSGD.Group(g, lr, 0.9, false, 1e-4))),
            ("Adam", false) => optim.Adam(groups.Select(g => new Adam.ParamGroup(g, lr, 0.9, 0.999, 1e-8, 0, false, false)), lr),
            ("Adam", true) => new FusedAdam(groups.Select(g => FusedAdam.Group(g, lr, 0.9, 0.999, 1e-8, 0))),
            (_, false) => optim.AdamW(groups.Select(g => new AdamW.ParamGroup(g, lr, 0.9, 0.99, 1e-5, 0.01, false, false)), lr),
            (_, true) => new FusedAdamW(groups.Select(g => FusedAdamW.Group(g, lr, 0.9, 0.99, 1e-5, 0.01))),
        };
    }
}

/// <summary>
/// The optimizer step under BenchmarkDotNet:
/// <c>dotnet run -c Release --project benchmarks/ModelDsl.Benchmarks -- --filter '*OptimizerStepBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser(false)]
public class OptimizerStepBenchmarks
{
    private nn.Module<Tensor, Tensor> _a = null!, _b = null!;
    private OptimizerHelper _reference = null!, _fused = null!;

    [Params("CifarCnn", "SmallNet")]
    public string Model { get; set; } = "CifarCnn";

    [Params("SGD", "Adam", "AdamW")]
    public string Optimizer { get; set; } = "Adam";

    [GlobalSetup]
    public void Setup()
    {
        Func<nn.Module<Tensor, Tensor>> make = Model == "CifarCnn" ? () => new ModelDsl.Samples.CifarCnn() : () => new SmallNet();
        (_a, _b) = (make(), make());
        _reference = OptimizerStepBenchmark.Build(Optimizer, OptimizerStepBenchmark.Groups(_a), fused: false);
        _fused = OptimizerStepBenchmark.Build(Optimizer, OptimizerStepBenchmark.Groups(_b), fused: true);
    }

    [Benchmark(Baseline = true)]
    public void TorchSharpStep() => _reference.step();

    [Benchmark]
    public void FusedStep() => _fused.step();

    [GlobalCleanup]
    public void Cleanup()
    {
        _reference.Dispose(); _fused.Dispose();
        _a.Dispose(); _b.Dispose();
    }
}
