using Microsoft.CodeAnalysis;
using Xunit;

namespace ModelDsl.Generator.Tests.Infrastructure;

/// <summary>
/// What the diagnostic tests assert of the one diagnostic a declaration must produce (its ID and docs link, and
/// for the error variants that generated code adds no error after it), and the source text it points at.
/// </summary>
public static class ExpectedDiagnostics
{
    [ThreadStatic] private static GeneratorRun? s_lastRun;

    /// <summary>The generator run behind the last diagnostic found on this thread (what it emitted, its trees).</summary>
    public static GeneratorRun LastRun => s_lastRun ?? throw new InvalidOperationException("No diagnostic has been looked for on this thread yet.");

    /// <summary>Exactly one MDSL diagnostic with <paramref name="id"/> (others may stand beside it).</summary>
    public static Diagnostic SingleWithId(string source, string id)
    {
        var run = Run(source);
        var matching = run.Mdsl.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"expected one {id}, got: {string.Join("; ", run.Mdsl.Select(d => d.Id + " " + d.GetMessage()))}");
        return Checked(run, matching[0], id, noCompileErrors: false);
    }

    /// <summary>The declaration's only error, with <paramref name="id"/> (warnings may stand beside it).</summary>
    public static Diagnostic OnlyError(string source, string id)
    {
        var run = Run(source);
        var errors = run.Mdsl.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 1 && errors[0].Id == id, string.Join("; ", errors.Select(e => e.Id + " " + e.GetMessage())));
        return Checked(run, errors[0], id, noCompileErrors: true);
    }

    /// <summary>The declaration's only warning or error: an error with <paramref name="id"/>.</summary>
    public static Diagnostic OnlyWarningOrError(string source, string id)
    {
        var run = Run(source);
        var all = run.Mdsl.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(all.Count == 1 && all[0].Id == id, $"expected one {id}, got: {string.Join("; ", all.Select(d => d.Id + " " + d.GetMessage()))}");
        Assert.Equal(DiagnosticSeverity.Error, all[0].Severity);
        return Checked(run, all[0], id, noCompileErrors: true);
    }

    /// <summary>
    /// The source text the last diagnostic found on this thread points at. Generator diagnostics carry a file path
    /// and span rather than a tree (pipeline models hold no syntax), so the tree is looked up by path, as the IDE does.
    /// </summary>
    public static string SpanText(Diagnostic d)
    {
        var path = d.Location.GetLineSpan().Path;
        var tree = LastRun.Output.SyntaxTrees.Single(t => t.FilePath == path);
        return tree.GetText().ToString(d.Location.SourceSpan);
    }

    private static GeneratorRun Run(string source)
    {
        var run = GeneratorHarness.Run(source);
        Assert.Null(run.GeneratorException);
        return run;
    }

    private static Diagnostic Checked(GeneratorRun run, Diagnostic d, string id, bool noCompileErrors)
    {
        Assert.Equal($"https://github.com/modeldsl/ModelDsl/blob/main/docs/diagnostics/{id}.md", d.Descriptor.HelpLinkUri);
        // An error means the generator emits nothing for the model: no error inside generated code may follow.
        if (noCompileErrors) Assert.DoesNotContain(run.CompilationDiagnostics, c => c.Severity == DiagnosticSeverity.Error);
        s_lastRun = run;
        return d;
    }
}
