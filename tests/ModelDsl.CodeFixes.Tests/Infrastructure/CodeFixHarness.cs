extern alias gen;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;
using ModelDiagnosticsAnalyzer = gen::ModelDsl.Generator.ModelDiagnosticsAnalyzer;
using ModelGenerator = gen::ModelDsl.Generator.ModelGenerator;

namespace ModelDsl.CodeFixes.Tests.Infrastructure;

/// <summary>
/// A small IDE stand-in: an <see cref="AdhocWorkspace"/> with one consumer document, the real
/// generator run over the project's compilation, ModelDsl's analyzer over the result for its MDSL diagnostics
/// (as an editor asks it), and a code fix applied the way the light bulb applies it (the action's
/// <see cref="ApplyChangesOperation"/>).
/// </summary>
public static class CodeFixHarness
{
    public const string FilePath = "/consumer/Models.cs";

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(() =>
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var wanted = tpa.Where(p => Path.GetFileName(p) is var f && (f.StartsWith("System.") || f is "mscorlib.dll" or "netstandard.dll" or "TorchSharp.dll" or "ModelDsl.Runtime.dll"));
        return wanted.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    });

    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest);

    /// <summary>A workspace document holding <paramref name="source"/> in a consumer project.</summary>
    public static Document CreateDocument(string source)
    {
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var documentId = DocumentId.CreateNewId(projectId);
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(projectId, VersionStamp.Create(), "Consumer", "Consumer", LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                    specificDiagnosticOptions: new Dictionary<string, ReportDiagnostic> { ["CS1591"] = ReportDiagnostic.Suppress }),
                parseOptions: s_parseOptions, metadataReferences: s_references.Value))
            .AddDocument(DocumentInfo.Create(documentId, Path.GetFileName(FilePath),
                loader: TextLoader.From(TextAndVersion.Create(SourceText.From(source), VersionStamp.Create())), filePath: FilePath));
        return solution.GetDocument(documentId)!;
    }

    /// <summary>
    /// Runs the generator over the project, then the analyzer over the result: the MDSL diagnostics (the analyzer's and any
    /// of the generator's) and the compiler errors of user plus generated code.
    /// </summary>
    public static async Task<(ImmutableArray<Diagnostic> Mdsl, ImmutableArray<Diagnostic> CompileErrors)> RunGeneratorAsync(Project project)
    {
        var ct = TestContext.Current.CancellationToken;
        var compilation = (await project.GetCompilationAsync(ct))!;
        CSharpGeneratorDriver.Create(new[] { new ModelGenerator().AsSourceGenerator() }, parseOptions: s_parseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics, ct);
        var analyzed = await output.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ModelDiagnosticsAnalyzer())).GetAnalyzerDiagnosticsAsync(ct);
        return (analyzed.Concat(diagnostics).Where(d => d.Id.StartsWith("MDSL", StringComparison.Ordinal)).ToImmutableArray(),
                output.GetDiagnostics(ct).Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray());
    }

    /// <summary>The code actions <paramref name="provider"/> registers for <paramref name="diagnostic"/> in <paramref name="document"/>.</summary>
    public static async Task<IReadOnlyList<CodeAction>> ActionsAsync(CodeFixProvider provider, Document document, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), TestContext.Current.CancellationToken);
        await provider.RegisterCodeFixesAsync(context);
        return actions;
    }

    /// <summary>
    /// Runs the generator on <paramref name="source"/>, expects exactly one <paramref name="id"/>, lets
    /// <paramref name="provider"/> fix it (the action with <paramref name="equivalenceKey"/>, or the only one),
    /// and returns the fixed text with the generator's verdict on it.
    /// </summary>
    public static async Task<FixResult> FixAsync(CodeFixProvider provider, string source, string id, string? equivalenceKey = null)
    {
        Assert.Contains(id, provider.FixableDiagnosticIds);
        var document = CreateDocument(source);
        var (before, _) = await RunGeneratorAsync(document.Project);
        var matching = before.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"expected one {id}, got: {string.Join("; ", before.Select(d => d.Id + " " + d.GetMessage()))}");
        var diagnostic = matching[0];
        Assert.Equal(FilePath, diagnostic.Location.GetLineSpan().Path);

        var actions = await ActionsAsync(provider, document, diagnostic);
        var action = equivalenceKey is null ? Assert.Single(actions) : Assert.Single(actions, a => a.EquivalenceKey == equivalenceKey);
        var operations = await action.GetOperationsAsync(TestContext.Current.CancellationToken);
        var changed = Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
        var fixedDocument = changed.GetDocument(document.Id)!;
        var text = (await fixedDocument.GetTextAsync(TestContext.Current.CancellationToken)).ToString();
        var (after, errors) = await RunGeneratorAsync(fixedDocument.Project);
        return new FixResult(diagnostic, action.Title, actions.Select(a => a.Title).ToList(), text, after, errors);
    }
}

public sealed record FixResult(
    Diagnostic Diagnostic,
    string Title,
    IReadOnlyList<string> OfferedTitles,
    string FixedSource,
    ImmutableArray<Diagnostic> DiagnosticsAfter,
    ImmutableArray<Diagnostic> CompileErrorsAfter)
{
    /// <summary>The fixed source has no MDSL diagnostic (of any severity) and compiles with its generated code.</summary>
    public void AssertClean()
    {
        Assert.True(DiagnosticsAfter.IsEmpty, "MDSL diagnostics after the fix: " + string.Join("; ", DiagnosticsAfter.Select(d => d.Id + " " + d.GetMessage())));
        Assert.True(CompileErrorsAfter.IsEmpty, "compile errors after the fix: " + string.Join("; ", CompileErrorsAfter));
    }

    public void AssertGone(string id)
        => Assert.DoesNotContain(DiagnosticsAfter, d => d.Id == id);
}

/// <summary>
/// Feeds "Fix all" with the generator's diagnostics the way the IDE's diagnostic service hands them to
/// code fixes: re-anchored from the generator's file-path location onto the document's syntax tree
/// (the fix-all engine maps diagnostics to documents through <see cref="Location.SourceTree"/>).
/// </summary>
public sealed class GeneratorDiagnosticProvider : FixAllContext.DiagnosticProvider
{
    public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        => await ForDocumentsAsync(document.Project, document.FilePath, cancellationToken);

    public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
        => Task.FromResult(Enumerable.Empty<Diagnostic>()); // every MDSL diagnostic has a source location

    public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
        => await ForDocumentsAsync(project, null, cancellationToken);

    private static async Task<IEnumerable<Diagnostic>> ForDocumentsAsync(Project project, string? path, CancellationToken ct)
    {
        var result = new List<Diagnostic>();
        foreach (var d in (await CodeFixHarness.RunGeneratorAsync(project)).Mdsl)
        {
            string file = d.Location.GetLineSpan().Path;
            if (path is not null && file != path) continue;
            var document = project.Documents.FirstOrDefault(doc => doc.FilePath == file);
            if (document is null) continue;
            result.Add(InTree(d, (await document.GetSyntaxTreeAsync(ct))!));
        }
        return result;
    }

    /// <summary>The same diagnostic (id, message, severity, properties) located in <paramref name="tree"/>.</summary>
    public static Diagnostic InTree(Diagnostic d, SyntaxTree tree)
        => Diagnostic.Create(d.Id, d.Descriptor.Category, d.GetMessage(), d.Severity, d.DefaultSeverity, d.Descriptor.IsEnabledByDefault,
            d.WarningLevel, d.Descriptor.Title, d.Descriptor.Description, d.Descriptor.HelpLinkUri,
            Location.Create(tree, d.Location.SourceSpan), customTags: d.Descriptor.CustomTags, properties: d.Properties);
}
