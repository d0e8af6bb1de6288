using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ModelDsl.Benchmarks.SourceGeneration;

/// <summary>
/// What the generator adds to a build: a compilation holding N models (varied course-style nets) is
/// compiled and emitted once without the generator and once with it; the difference over N is the
/// build time per model. Also reports the generator's own run time per model, and what the compiler
/// spends on the same kind of module written by hand (copies of Models/HandWritten.cs: CifarCnn, LeNet5,
/// MnistNet, DigitUNet), so the cost of compiling a module at all is not mistaken for generator overhead.
/// Quick mode: <c>quick generator-cost [--models 100,1000] [--repeats 7] [--warmups 3] [--only chains|graphs|INDEX]</c>;
/// <c>--write-projects DIR [--repo PATH]</c> writes the same declarations as real projects (with and without the
/// generator, and a hand-written yardstick) for <c>benchmarks/real-build-cost.sh</c>. <c>--file PATH…</c> (comma-separated)
/// times the generator alone on those sources (e.g. the zoo's DenseNet121: 121 weighted layers, nested graph blocks).
/// </summary>
public sealed class GeneratorCost : IQuickBenchmark
{
    public string Name => "generator-cost";

    public void Run(string[] args, TextWriter output)
    {
        int[] counts = Option(args, "--models", "100,1000").Split(',').Select(int.Parse).ToArray();
        if (Option(args, "--write-projects", "") is { Length: > 0 } dir)
        {
            // The repository holding the generator and runtime projects: the script passes it; run from the build
            // output without it, it is five levels above bin/Release/net10.0/.
            string repo = Path.GetFullPath(Option(args, "--repo", Path.Combine(AppContext.BaseDirectory, "../../../../..")));
            WriteProjects(dir, counts.Max(), Option(args, "--only", ""), repo, output);
            return;
        }
        int repeats = int.Parse(Option(args, "--repeats", "7"));
        var generator = LoadGenerator();
        if (Option(args, "--file", "") is { Length: > 0 } files)
        {
            TimeFiles(files.Split(','), generator, repeats, int.Parse(Option(args, "--warmups", "3")), output);
            return;
        }
        output.WriteLine($"| models | generator run (ms) | per model (ms) | build without generator (ms) | build with generator (ms) | added per model (ms) | generated files compiled as plain sources (ms) |");
        output.WriteLine($"|---:|---:|---:|---:|---:|---:|---:|");
        // The Roslyn assemblies from NuGet are IL only: until the JIT has tiered up their hot paths, a
        // compilation runs on unoptimised code and small sizes measured first look 2-3x dearer per model
        // (measured: 8 ms/model at 100 models cold vs 3.7 ms with DOTNET_TieredCompilation=0). The SDK's
        // csc is ReadyToRun and lives in a long-running compiler server, so the benchmark warms the JIT on the
        // largest size first, hand-written modules included, before measuring anything.
        int warmups = int.Parse(Option(args, "--warmups", "3"));
        var largest = Compile(Source(counts.Max(), Option(args, "--only", "")));
        int copies = 34, perCopy = HandWrittenModulesPerCopy();
        var handWritten = Compile(HandWrittenSource(copies));
        for (int w = 0; w < warmups; w++)
        {
            Measure(largest, generator);
            EmitOrThrow(handWritten.Clone(), allowErrors: false);
        }
        foreach (int n in counts)
        {
            var compilation = n == counts.Max() ? largest : Compile(Source(n, Option(args, "--only", "")));
            Measure(compilation, generator);
            var runs = Enumerable.Range(0, repeats).Select(_ => Measure(compilation, generator)).ToList();
            double gen = Median(runs.Select(r => r.Generator)), plain = Median(runs.Select(r => r.Plain)), with = Median(runs.Select(r => r.With));
            double asSources = Median(runs.Select(r => r.GeneratedAsSources));
            output.WriteLine($"| {n:N0} | {gen:F0} | {gen / n:F2} | {plain:F0} | {with:F0} | {(with - plain) / n:F2} | {asSources:F0} |");
        }
        var hand = Enumerable.Range(0, repeats).Select(_ => { var fresh = handWritten.Clone(); var sw = Stopwatch.StartNew(); EmitOrThrow(fresh, allowErrors: false); return sw.Elapsed.TotalMilliseconds; }).ToList();
        output.WriteLine($"| hand-written, {copies * perCopy} modules | – | – | – | {Median(hand):F0} | {Median(hand) / (copies * perCopy):F2} (compile per module) | – |");
        output.WriteLine($"(medians of {repeats} runs after {warmups} JIT warm-up rounds on the largest size and one per size; build = generator + GetDiagnostics + Emit to memory)");
    }

    /// <summary>The generator's run (parse, shape analysis, emit) on the given sources, median of <paramref name="repeats"/> after warm-ups.</summary>
    private static void TimeFiles(string[] files, ISourceGenerator generator, int repeats, int warmups, TextWriter output)
    {
        var compilation = Compile(string.Concat(files.Select(File.ReadAllText)));
        double Once()
        {
            var fresh = compilation.Clone();
            var sw = Stopwatch.StartNew();
            var driver = CSharpGeneratorDriver.Create(new[] { generator }, parseOptions: (CSharpParseOptions)fresh.SyntaxTrees[0].Options);
            driver.RunGeneratorsAndUpdateCompilation(fresh, out var result, out var diagnostics);
            double ms = sw.Elapsed.TotalMilliseconds;
            if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error)) throw new InvalidOperationException(string.Join("\n", diagnostics.Take(5)));
            return ms;
        }
        for (int w = 0; w < warmups; w++) Once();
        var runs = Enumerable.Range(0, repeats).Select(_ => Once()).ToList();
        output.WriteLine($"generator run on {string.Join(", ", files.Select(Path.GetFileName))}: median {Median(runs):F1} ms (runs: {string.Join(", ", runs.Select(r => r.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))}; {warmups} warm-ups)");
    }

    private static (double Generator, double Plain, double With, double GeneratedAsSources) Measure(CSharpCompilation original, ISourceGenerator generator)
    {
        // A compilation caches what it has bound: every measurement starts from a fresh clone, as a build does.
        var compilation = original.Clone();
        var sw = Stopwatch.StartNew();
        EmitOrThrow(compilation, allowErrors: true);
        double plain = sw.Elapsed.TotalMilliseconds;

        compilation = original.Clone();
        sw.Restart();
        var driver = CSharpGeneratorDriver.Create(new[] { generator }, parseOptions: (CSharpParseOptions)compilation.SyntaxTrees[0].Options);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        double gen = sw.Elapsed.TotalMilliseconds;
        if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error)) throw new InvalidOperationException(string.Join("\n", diagnostics.Take(5)));
        EmitOrThrow(output, allowErrors: false);
        double with = sw.Elapsed.TotalMilliseconds;

        // The same generated files compiled as ordinary sources: how much of "with" is the generated code itself.
        var asSources = CSharpCompilation.Create("Sources", output.SyntaxTrees.Select(t => CSharpSyntaxTree.ParseText(t.GetText(), (CSharpParseOptions)t.Options, t.FilePath)), original.References, original.Options);
        sw.Restart();
        EmitOrThrow(asSources, allowErrors: false);
        return (gen, plain, with, sw.Elapsed.TotalMilliseconds);
    }

    private static void EmitOrThrow(Compilation compilation, bool allowErrors)
    {
        using var ms = new MemoryStream();
        var result = compilation.Emit(ms);
        if (!result.Success && !allowErrors)
            throw new InvalidOperationException(string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5)));
    }

    /// <summary>The first five shapes are chains (the mix measured before graphs existed); the rest are graph models.</summary>
    private const int ChainShapes = 5;

    /// <summary>
    /// N models cycling through nine course-style shapes — five chains (convs, pools, blocks, an MLP) and
    /// four graph models (U-Net, residual Adds, any-size FCN, two heads) — so the engine sees every path. <c>--only chains|graphs|INDEX</c> narrows the mix.
    /// </summary>
    private static string Source(int n, string only)
    {
        string[] bodies =
        {
            "[Model(Channels = 1, Height = 28, Width = 28)]\n[Conv2d(16, 5), ReLU, MaxPool2d(2)]\n[Flatten, Linear({0}, InFeatures = 2304)]",
            "[Model(Channels = 3, Height = 32, Width = 32)]\n[Stage(\"Features\")]\n[Conv2d(32, 3, Padding = 1), BatchNorm2d, ReLU, Conv2d(64, 3, Padding = 1), ReLU, MaxPool2d(2)]\n[Conv2d(128, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2), Dropout2d(0.05)]\n[Flatten]\n[Stage(\"Classifier\")]\n[Dropout(0.1), Linear(1024), ReLU, Linear({0})]",
            "[Model(Channels = 1, Height = 28, Width = 28)]\n[Conv2d(6, 5, Padding = 2), Tanh, AvgPool2d(2), Conv2d(16, 5), Tanh, AvgPool2d(2)]\n[Flatten, Linear(120), Tanh, Linear(84), Tanh, Linear({0})]",
            "[Model(Channels = 3, Height = 64, Width = 64)]\n[Conv2d(64, 11, Stride = 4, Padding = 2), ReLU, Conv2d(64, 1), Use<Res>(Repeat = 4), GlobalAvgPool, Flatten, Linear({0})]",
            "[Model(Features = 32)]\n[Linear(64), BatchNorm1d, ReLU, Dropout(0.2), Linear({0})]",
            // Graph models (DESIGN.md §2b): a fixed-size U-Net (taps, Concat, transposed convs), a ResNet-style
            // stem with Add on taps, and an any-size FCN (the axis analysis runs for every spatial axis).
            "[Model(Channels = 1, Height = 64, Width = 64)]\n[Stage(\"Down1\"), Conv2d(16, 3, Padding = 1), ReLU, Conv2d(16, 3, Padding = 1), ReLU, Tap(\"skip1\")]\n[MaxPool2d(2)]\n[Stage(\"Down2\"), Conv2d(32, 3, Padding = 1), ReLU, Tap(\"skip2\")]\n[MaxPool2d(2)]\n[Stage(\"Bottom\"), Conv2d(64, 3, Padding = 1), ReLU]\n[Stage(\"Up2\"), ConvTranspose2d(32, 2, Stride = 2), Concat(\"skip2\"), Conv2d(32, 3, Padding = 1), ReLU]\n[Stage(\"Up1\"), ConvTranspose2d(16, 2, Stride = 2), Concat(\"skip1\"), Conv2d(16, 3, Padding = 1), ReLU]\n[Conv2d({0}, 1)]",
            "[Model(Channels = 3, Height = 32, Width = 32)]\n[Conv2d(16, 3, Padding = 1), BatchNorm2d, ReLU, Tap(\"a\")]\n[Conv2d(16, 3, Padding = 1), BatchNorm2d, ReLU, Conv2d(16, 3, Padding = 1), BatchNorm2d, Add(\"a\"), ReLU, Tap(\"b\")]\n[Conv2d(32, 3, Stride = 2, Padding = 1), BatchNorm2d, ReLU, Conv2d(32, 3, Padding = 1), BatchNorm2d, Add(\"b\", Projection = true), ReLU]\n[GlobalAvgPool, Flatten, Linear({0})]",
            "[Model(Channels = 3)]\n[Conv2d(16, 5), ReLU, MaxPool2d(2), Conv2d(32, 5), ReLU, MaxPool2d(2)]\n[Conv2d(64, 5), ReLU, Conv2d({0}, 1)]",
            // Two heads on one backbone (a generated output record, a shape constant and a stage per head).
            "[Model(Channels = 1, Height = 64, Width = 64)]\n[Stage(\"Backbone\"), Conv2d(16, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]\n[Conv2d(32, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2), Tap(\"features\")]\n[Head(\"Classes\", From = \"features\"), Conv2d({0}, 1)]\n[Head(\"Boxes\", From = \"features\"), Conv2d(5, 1), Sigmoid]",
        };
        var sb = new StringBuilder("using ModelDsl;\nnamespace Bench\n{\n[Block, Residual(Then = Act.ReLU)]\n[Conv2d(Kernel = 3, Padding = 1), BatchNorm2d, ReLU, Conv2d(Kernel = 3, Padding = 1), BatchNorm2d]\npublic partial class Res;\n");
        if (only == "chains") bodies = bodies.Take(ChainShapes).ToArray();
        else if (only == "graphs") bodies = bodies.Skip(ChainShapes).ToArray();
        else if (only != "") bodies = new[] { bodies[int.Parse(only)] };
        for (int i = 0; i < n; i++)
            sb.Append(string.Format(bodies[i % bodies.Length], 2 + i % 10)).Append($"\npublic partial class Model{i};\n");
        return sb.Append("}\n").ToString();
    }

    /// <summary>
    /// The same N declarations as real projects for <c>benchmarks/real-build-cost.sh</c>: <c>with/</c> uses the
    /// generator as a package consumer does (analyzer + runtime), <c>without/</c> has the same source and the
    /// runtime only, and <c>hand/</c> adds to that source N hand-written TorchSharp modules of the same kind of nets
    /// (copies of Models/HandWritten.cs), the yardstick for what compiling a module costs in that build at all. The
    /// script times the SDK's own csc (ReadyToRun, with the SDK's default analyzers) on all three.
    /// </summary>
    private static void WriteProjects(string dir, int n, string only, string repo, TextWriter output)
    {
        int perCopy = HandWrittenModulesPerCopy(), copies = (n + perCopy - 1) / perCopy;
        foreach (var (name, generator) in new[] { ("with", true), ("without", false), ("hand", false) })
        {
            string project = Path.Combine(dir, name);
            Directory.CreateDirectory(project);
            File.WriteAllText(Path.Combine(project, "Models.cs"), Source(n, only));
            if (name == "hand") File.WriteAllText(Path.Combine(project, "HandWritten.cs"), HandWrittenSource(copies));
            string references = generator
                ? $"<ProjectReference Include=\"{repo}/src/ModelDsl.Generator/ModelDsl.Generator.csproj\" OutputItemType=\"Analyzer\" ReferenceOutputAssembly=\"false\" />\n    "
                : "";
            File.WriteAllText(Path.Combine(project, name + ".csproj"), $$"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup><TargetFramework>net10.0</TargetFramework><Nullable>disable</Nullable><NoWarn>$(NoWarn);CS1591</NoWarn></PropertyGroup>
                  <ItemGroup>
                    {{references}}<ProjectReference Include="{{repo}}/src/ModelDsl.Runtime/ModelDsl.Runtime.csproj" />
                  </ItemGroup>
                </Project>
                """);
        }
        output.WriteLine($"wrote {dir}/with, {dir}/without ({n} models) and {dir}/hand ({copies * perCopy} hand-written modules)");
    }

    private static int HandWrittenModulesPerCopy() => typeof(Models.HandWritten).GetNestedTypes().Length;

    private static string HandWrittenSource(int copies)
    {
        using var stream = typeof(GeneratorCost).Assembly.GetManifestResourceStream("HandWritten.cs")!;
        string text = new StreamReader(stream).ReadToEnd();
        var sb = new StringBuilder();
        for (int i = 0; i < copies; i++)
            sb.AppendLine(text.Replace("namespace ModelDsl.Benchmarks.Models;", "").Replace("class HandWritten", $"class HandWritten{i}")
                .Replace("using TorchSharp;", "").Replace("using TorchSharp.Modules;", "").Replace("using static TorchSharp.torch;", "").Replace("using static TorchSharp.torch.nn;", ""));
        return "using TorchSharp;\nusing TorchSharp.Modules;\nusing static TorchSharp.torch;\nusing static TorchSharp.torch.nn;\nnamespace Hand {\n" + sb + "}\n";
    }

    private static CSharpCompilation Compile(string source)
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var refs = tpa.Where(p => Path.GetFileName(p) is var f && (f.StartsWith("System.") || f is "mscorlib.dll" or "netstandard.dll" or "TorchSharp.dll" or "ModelDsl.Runtime.dll"))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
        return CSharpCompilation.Create("Bench", new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest)) }, refs,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
    }

    private static ISourceGenerator LoadGenerator()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "generator", "ModelDsl.Generator.dll");
        var type = Assembly.LoadFrom(path).GetType("ModelDsl.Generator.ModelGenerator", throwOnError: true)!;
        return ((IIncrementalGenerator)Activator.CreateInstance(type)!).AsSourceGenerator();
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    internal static string Option(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
