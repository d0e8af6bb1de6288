using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator
{
    /// <summary>
    /// Reports every MDSL diagnostic of a [Model] or [Block] class, from the same parse and shape analysis the generator
    /// runs (<see cref="ModelPipeline"/>): language servers ask the compilation and the analyzers for diagnostics, never the
    /// generators, so a diagnostic reported only by <see cref="ModelGenerator"/> never reaches an editor that runs Roslyn
    /// out of process (csharp-ls, and any LSP client). As analyzer diagnostics they also obey #pragma and .editorconfig
    /// severities (warnings: errors are not configurable) and reach code fixes in every editor. CommunityToolkit.Mvvm
    /// moved its generator diagnostics into analyzers for the same reason. The generator reports only what an analyzer
    /// cannot see: an exception while writing the source (MDSL9999 from the emitter).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ModelDiagnosticsAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = DiagnosticDescriptors.All.ToImmutableArray();

        public override void Initialize(AnalysisContext context)
        {
            // The [Model] class has generated declarations too; its diagnostics sit on the user's declaration.
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var model = start.Compilation.GetTypeByMetadataName(ModelGenerator.ModelAttribute);
                var block = start.Compilation.GetTypeByMetadataName(ModelGenerator.BlockAttribute);
                if (model is null && block is null) return; // ModelDsl not referenced
                start.RegisterSymbolAction(c => Analyze(c, model, block), SymbolKind.NamedType);
            });
        }

        private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol? modelAttribute, INamedTypeSymbol? blockAttribute)
        {
            if (context.Symbol is not INamedTypeSymbol { TypeKind: TypeKind.Class } symbol) return;
            foreach (var attribute in symbol.GetAttributes())
            {
                bool isModel = SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, modelAttribute);
                bool isBlock = !isModel && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, blockAttribute);
                if (!isModel && !isBlock) continue;
                // The declaration the attribute is written on, as the generator's ForAttributeWithMetadataName sees it.
                if (attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).FirstAncestorOrSelf<ClassDeclarationSyntax>() is not { } declaration) continue;
                var spec = ModelPipeline.Parse(symbol, declaration, attribute, context.Compilation, isBlock, context.CancellationToken);
                var diagnostics = isBlock ? ModelPipeline.AnalyzeBlock(spec).Diagnostics : ModelPipeline.AnalyzeModel(spec).Diagnostics;
                foreach (var d in diagnostics) context.ReportDiagnostic(ToDiagnostic(d, context.Compilation));
            }
        }

        /// <summary>
        /// The diagnostic at a location in the compilation's own syntax tree: an analyzer may only report in the trees it
        /// analyses, and only such a location is subject to #pragma warning disable.
        /// </summary>
        private static Diagnostic ToDiagnostic(DiagnosticInfo info, Compilation compilation)
        {
            if (info.Location is not { } at) return info.ToDiagnostic(null);
            var tree = compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == at.FilePath);
            return info.ToDiagnostic(tree is null ? Location.None : Location.Create(tree, at.Span));
        }
    }
}
