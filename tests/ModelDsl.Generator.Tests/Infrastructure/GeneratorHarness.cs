extern alias gen;
using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using ModelGenerator = gen::ModelDsl.Generator.ModelGenerator;
using ModelDiagnosticsAnalyzer = gen::ModelDsl.Generator.ModelDiagnosticsAnalyzer;

namespace ModelDsl.Generator.Tests.Infrastructure;

/// <summary>
/// Runs the real generator over source text against the real runtime and TorchSharp assemblies,
/// the way the compiler does in a consumer project.
/// </summary>
public static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(() =>
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var wanted = tpa.Where(p => Path.GetFileName(p) is var f && (f.StartsWith("System.") || f is "mscorlib.dll" or "netstandard.dll" or "TorchSharp.dll" or "ModelDsl.Runtime.dll"));
        return wanted.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    });

    public static ImmutableArray<MetadataReference> References => s_references.Value;

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    public static CSharpCompilation Compile(params string[] sources)
        => CSharpCompilation.Create("Consumer" + Guid.NewGuid().ToString("N"),
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Model{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                specificDiagnosticOptions: new Dictionary<string, ReportDiagnostic> { ["CS1591"] = ReportDiagnostic.Suppress }));

    public static GeneratorDriver Driver(bool trackSteps = false)
        => CSharpGeneratorDriver.Create(new[] { new ModelGenerator().AsSourceGenerator() }, parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>
    /// Runs the generator, then ModelDsl's analyzer on the compilation with the generated code (as a build and an editor do);
    /// returns both sets of diagnostics, the generated sources and the final compilation.
    /// </summary>
    public static GeneratorRun Run(params string[] sources)
    {
        var compilation = Compile(sources);
        var driver = Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var result = driver.GetRunResult();
        return new GeneratorRun(result, generatorDiagnostics, AnalyzerDiagnostics(output), output);
    }

    /// <summary>The MDSL diagnostics ModelDsl's analyzer reports on <paramref name="compilation"/>.</summary>
    public static ImmutableArray<Diagnostic> AnalyzerDiagnostics(Compilation compilation)
        => compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ModelDiagnosticsAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
}

/// <param name="GeneratorDiagnostics">What the generator itself reports: only an exception of its emitters (MDSL9999).</param>
/// <param name="AnalyzerDiagnostics">What ModelDsl's analyzer reports: every MDSL diagnostic of the models and blocks.</param>
public sealed record GeneratorRun(GeneratorDriverRunResult Result, ImmutableArray<Diagnostic> GeneratorDiagnostics, ImmutableArray<Diagnostic> AnalyzerDiagnostics, Compilation Output)
{
    /// <summary>Every MDSL diagnostic a build shows: the analyzer's and the generator's.</summary>
    public IEnumerable<Diagnostic> Diagnostics => AnalyzerDiagnostics.Concat(GeneratorDiagnostics);

    public IEnumerable<Diagnostic> Mdsl => Diagnostics.Where(d => d.Id.StartsWith("MDSL"));

    public Exception? GeneratorException => Result.Results.Select(r => r.Exception).FirstOrDefault(e => e is not null);

    public string Source(string hintName) => Result.Results.SelectMany(r => r.GeneratedSources).Single(s => s.HintName == hintName).SourceText.ToString();

    /// <summary>Compiler diagnostics of the user code plus generated code (warnings and errors).</summary>
    public IEnumerable<Diagnostic> CompilationDiagnostics => Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning);

    /// <summary>Emits the compilation and loads it into the test process.</summary>
    public Assembly Load()
    {
        using var ms = new MemoryStream();
        var emit = Output.Emit(ms);
        if (!emit.Success) throw new InvalidOperationException("Generated code does not compile:\n" + string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return Assembly.Load(ms.ToArray());
    }
}
