using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// The MDSL diagnostics come from ModelDsl's analyzer — what language servers ask — not from the generator, and as
/// analyzer diagnostics they obey #pragma and per-project severities like any C# warning.
/// </summary>
public class AnalyzerMoveTests
{
    private const string BrokenLinear = """
        using ModelDsl;
        [Model(Channels = 3, Height = 16, Width = 16)]
        [Conv2d(8, 3), Flatten, Linear(10, InFeatures = 100)]
        public partial class Broken;
        """;

    private const string TrailingSoftmax = """
        using ModelDsl;
        [Model(Features = 4)]
        #pragma warning disable MDSL0016
        [Linear(3), Softmax]
        #pragma warning restore MDSL0016
        public partial class Soft;
        """;

    [Fact]
    public void The_generator_reports_nothing_and_the_analyzer_reports_the_shape_error_on_the_users_text()
    {
        var run = GeneratorHarness.Run(BrokenLinear);
        Assert.Empty(run.GeneratorDiagnostics);
        var d = Assert.Single(run.AnalyzerDiagnostics);
        Assert.Equal("MDSL0002", d.Id);
        Assert.True(d.Location.IsInSource, "an analyzer diagnostic sits in a syntax tree of the compilation");
        Assert.Equal("InFeatures = 100", d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan));
    }

    [Fact]
    public void A_pragma_suppresses_an_MDSL_warning()
    {
        var run = GeneratorHarness.Run(TrailingSoftmax);
        Assert.DoesNotContain(run.Mdsl, d => d.Id == "MDSL0016");
        // Without the pragma the warning is there: the test above is not passing by accident.
        var plain = GeneratorHarness.Run(TrailingSoftmax.Replace("#pragma warning disable MDSL0016", "").Replace("#pragma warning restore MDSL0016", ""));
        Assert.Contains(plain.Mdsl, d => d.Id == "MDSL0016");
    }

    [Fact]
    public void A_project_severity_turns_an_MDSL_warning_off_or_into_an_error_as_editorconfig_does()
    {
        var source = TrailingSoftmax.Replace("#pragma warning disable MDSL0016", "").Replace("#pragma warning restore MDSL0016", "");
        var run = GeneratorHarness.Run(source);
        ImmutableArray<Diagnostic> With(ReportDiagnostic severity)
            => GeneratorHarness.AnalyzerDiagnostics(run.Output.WithOptions(((CSharpCompilationOptions)run.Output.Options)
                .WithSpecificDiagnosticOptions(run.Output.Options.SpecificDiagnosticOptions.SetItem("MDSL0016", severity))));
        Assert.DoesNotContain(With(ReportDiagnostic.Suppress), d => d.Id == "MDSL0016");
        Assert.Equal(DiagnosticSeverity.Error, Assert.Single(With(ReportDiagnostic.Error), d => d.Id == "MDSL0016").Severity);
    }
}
