using System.Diagnostics;
using ModelDsl.Platform;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Platform;

/// <summary>
/// The start-up cost of the CPU convolution check (docs/TRAINING.md "Right numbers on every CPU"): libtorch's own first
/// use (loading, thread pool), then the check as a process meets it first (oneDNN compiling its kernels for the check's
/// shapes) and again (kernels cached), and each case's share of the first run. Run it in a fresh process: everything
/// it measures happens once per process.
/// <code>dotnet run -c Release --project benchmarks/ModelDsl.Benchmarks -- quick cpu-check</code>
/// </summary>
public sealed class CpuCheckBenchmark : IQuickBenchmark
{
    public string Name => "cpu-check";

    public void Run(string[] args, TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        using (var warm = ones(1)) { }
        output.WriteLine($"libtorch first tensor: {clock.Elapsed.TotalMilliseconds,8:F1} ms");

        // Each case alone, first in this process (oneDNN compiles its kernels for the shape), then warm.
        output.WriteLine($"{"case",-42} {"first",9} {"warm",9}");
        using (var grad = enable_grad())
            foreach (var c in ConvolutionCheck.Cases)
                output.WriteLine($"{c.Name,-42} {TimeCase(c),6:F1} ms {TimeCase(c),6:F1} ms");

        var times = new List<double>();
        for (int i = 0; i < 5; i++) times.Add(ConvolutionCheck.Run().Elapsed.TotalMilliseconds);
        times.Sort();
        output.WriteLine($"whole check, warm (median of 5): {times[2]:F1} ms");
    }

    private static double TimeCase(ConvolutionCheck.Case c)
    {
        using var scope = NewDisposeScope();
        var inputs = c.Inputs(new Generator(1));
        var clock = Stopwatch.StartNew();
        Float64Reference.Compare(c.Op, inputs, c.Terms, seed: 1);
        return clock.Elapsed.TotalMilliseconds;
    }
}
