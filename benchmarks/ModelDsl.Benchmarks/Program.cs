using System.Reflection;
using BenchmarkDotNet.Running;
using ModelDsl.Benchmarks;

// Two modes:
//   quick [NAME...]   run the quick benchmarks (all, or the named ones) and print their summaries
//   anything else     BenchmarkDotNet's switcher (e.g. --filter '*Forward*')
if (args.Length > 0 && args[0] == "quick")
{
    var all = Assembly.GetExecutingAssembly().GetTypes()
        .Where(t => typeof(IQuickBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
        .Select(t => (IQuickBenchmark)Activator.CreateInstance(t)!)
        .OrderBy(b => b.Name, StringComparer.Ordinal)
        .ToList();
    var wanted = args.Skip(1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
    var options = args.Skip(1).SkipWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
    var selected = wanted.Count == 0 ? all : all.Where(b => wanted.Contains(b.Name)).ToList();
    if (selected.Count == 0)
    {
        Console.Error.WriteLine($"No quick benchmark named {string.Join(", ", wanted)}. Known: {string.Join(", ", all.Select(b => b.Name))}");
        return 2;
    }
    foreach (var b in selected)
    {
        Console.WriteLine($"## {b.Name}");
        b.Run(options, Console.Out);
        Console.WriteLine();
    }
    return 0;
}

// In process: the separate project BenchmarkDotNet would generate and build does not get TorchSharp's native
// libtorch assets (nor this repo's glibcxx patch for them), and fails with "Unable to load LibTorchSharp".
if (!args.Any(a => a.Equals("--inProcess", StringComparison.OrdinalIgnoreCase))) args = [.. args, "--inProcess"];
BenchmarkSwitcher.FromAssembly(typeof(IQuickBenchmark).Assembly).Run(args);
return 0;
