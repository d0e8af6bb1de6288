using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using ModelDsl.Benchmarks.SourceGeneration;
using ModelDsl.Samples;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Models;

/// <summary>One generated course model next to its hand-written twin, with the same weights.</summary>
public sealed record ModelPair(string Name, Func<nn.Module<Tensor, Tensor>> Generated, Func<nn.Module<Tensor, Tensor>> HandWritten, long[] InputShape)
{
    public static readonly ModelPair[] All =
    {
        new("CifarCnn", () => new CifarCnn(), () => new HandWritten.CifarCnn(), new long[] { 128, 3, 32, 32 }),
        new("LeNet5", () => new LeNet5(), () => new HandWritten.LeNet5(), new long[] { 256, 1, 28, 28 }),
        new("MnistNet", () => new MnistNet(), () => new HandWritten.MnistNet(), new long[] { 256, 1, 28, 28 }),
        // A graph model (taps, Concat, transposed convs), any input size: run on 64×64 digit canvases.
        new("DigitUNet", () => new DigitUNet(), () => new HandWritten.DigitUNet(), new long[] { 32, 1, 64, 64 }),
        // Generator v3: the zoo's ResNet18 (graph blocks with parameters, a condition, keys) against torchvision's written by hand.
        new("ResNet18", () => new ModelDsl.Zoo.ResNet18(), () => new HandWritten.ResNet18(), new long[] { 8, 3, 112, 112 }),
    };

    /// <summary>Builds both and copies the generated model's weights into the hand-written one (same order), so both do identical work.</summary>
    public (nn.Module<Tensor, Tensor> Generated, nn.Module<Tensor, Tensor> HandWritten) Create()
    {
        var g = Generated(); var h = HandWritten();
        using (no_grad())
        {
            var gp = g.parameters().ToList(); var hp = h.parameters().ToList();
            if (gp.Count != hp.Count) throw new InvalidOperationException($"{Name}: {gp.Count} vs {hp.Count} parameter tensors");
            for (int i = 0; i < gp.Count; i++) hp[i].copy_(gp[i]);
        }
        return (g, h);
    }
}

/// <summary>
/// Generated forward vs hand-written forward (inference, and forward+backward), interleaved so that
/// machine noise hits both alike. Quick mode: <c>quick forward-overhead [--repeats 15] [--only DigitUNet,LeNet5]</c>.
/// </summary>
public sealed class ForwardOverhead : IQuickBenchmark
{
    public string Name => "forward-overhead";

    public void Run(string[] args, TextWriter output)
    {
        int repeats = int.Parse(GeneratorCost.Option(args, "--repeats", "15"));
        torch.set_num_threads(Environment.ProcessorCount);
        output.WriteLine("| model | input | pass | generated (ms) | hand-written (ms) | ratio |");
        output.WriteLine("|---|---|---|---:|---:|---:|");
        var only = GeneratorCost.Option(args, "--only", "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        foreach (var pair in ModelPair.All.Where(p => only.Length == 0 || only.Contains(p.Name, StringComparer.OrdinalIgnoreCase)))
        {
            var (g, h) = pair.Create();
            g.eval(); h.eval(); // dropout off so both compute the same thing
            using var x = rand(pair.InputShape);
            using (no_grad())
            {
                var gy = g.forward(x); var hy = h.forward(x);
                if (!gy.allclose(hy, rtol: 1e-4, atol: 1e-5)) throw new InvalidOperationException($"{pair.Name}: outputs differ");
                gy.Dispose(); hy.Dispose();
            }
            foreach (bool backward in new[] { false, true })
            {
                var tg = new List<double>(); var th = new List<double>();
                for (int r = 0; r < repeats + 2; r++)
                {
                    double a = Time(g, x, backward), b = Time(h, x, backward);
                    if (r >= 2) { tg.Add(a); th.Add(b); } // two warm-up rounds
                }
                double mg = GeneratorCost.Median(tg), mh = GeneratorCost.Median(th);
                output.WriteLine($"| {pair.Name} | {string.Join("×", pair.InputShape)} | {(backward ? "forward+backward" : "forward (no_grad)")} | {mg:F2} | {mh:F2} | {mg / mh:F3} |");
            }
            g.Dispose(); h.Dispose();
        }
        output.WriteLine($"(medians of {repeats} interleaved runs, {torch.get_num_threads()} torch threads)");
    }

    internal static double Time(nn.Module<Tensor, Tensor> model, Tensor x, bool backward)
    {
        var sw = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        if (backward)
        {
            model.zero_grad();
            model.forward(x).sum().backward();
        }
        else
        {
            using var _ = no_grad();
            model.forward(x);
        }
        return sw.Elapsed.TotalMilliseconds;
    }
}

/// <summary>The same comparison under BenchmarkDotNet: <c>dotnet run -c Release --project benchmarks/ModelDsl.Benchmarks -- --filter '*ForwardBenchmarks*'</c>.</summary>
[MemoryDiagnoser(false)]
public class ForwardBenchmarks
{
    private nn.Module<Tensor, Tensor> _generated = null!, _handWritten = null!;
    private Tensor _x = null!;

    [ParamsSource(nameof(Names))]
    public string Model { get; set; } = "CifarCnn";

    public static IEnumerable<string> Names => ModelPair.All.Select(p => p.Name);

    [GlobalSetup]
    public void Setup()
    {
        var pair = ModelPair.All.Single(p => p.Name == Model);
        (_generated, _handWritten) = pair.Create();
        _generated.eval(); _handWritten.eval();
        _x = rand(pair.InputShape);
    }

    [Benchmark(Baseline = true)]
    public double HandWrittenForward() => ForwardOverhead.Time(_handWritten, _x, backward: false);

    [Benchmark]
    public double GeneratedForward() => ForwardOverhead.Time(_generated, _x, backward: false);

    [Benchmark]
    public double HandWrittenTrainStep() => ForwardOverhead.Time(_handWritten, _x, backward: true);

    [Benchmark]
    public double GeneratedTrainStep() => ForwardOverhead.Time(_generated, _x, backward: true);

    [GlobalCleanup]
    public void Cleanup() { _generated.Dispose(); _handWritten.Dispose(); _x.Dispose(); }
}
