namespace ModelDsl.Benchmarks;

/// <summary>
/// A benchmark with a "quick mode": one run that prints a short summary (medians over a few repeats)
/// for docs/BENCHMARKS.md, without BenchmarkDotNet's minutes-long statistics. Implementations are found
/// by reflection, so adding a benchmark is adding a file.
/// </summary>
public interface IQuickBenchmark
{
    /// <summary>Name used on the command line: <c>dotnet run -c Release --project benchmarks/ModelDsl.Benchmarks -- quick NAME</c>.</summary>
    string Name { get; }

    void Run(string[] args, TextWriter output);
}
