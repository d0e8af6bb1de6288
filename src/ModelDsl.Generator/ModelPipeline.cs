using System;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator
{
    /// <summary>
    /// The two steps both the generator and the analyzer run on a [Model] or [Block] class — parse, then analyse — each
    /// turning an unexpected exception into an MDSL9999 diagnostic on the class: a generator that throws loses all its
    /// output for the whole compilation (CS8785), an analyzer that throws is switched off by the host (AD0001).
    /// </summary>
    internal static class ModelPipeline
    {
        public static ModelSpec Parse(INamedTypeSymbol symbol, ClassDeclarationSyntax declaration, AttributeData attribute, Compilation compilation,
            bool isBlock, CancellationToken ct)
        {
            try
            {
                return ModelParser.Parse(symbol, declaration, attribute, compilation, isBlock, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var location = LocationInfo.From(declaration.Identifier.GetLocation());
                return ModelSpec.Failed(symbol.Name, isBlock, location,
                    new[] { DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, location, symbol.Name, e.GetType().Name + ": " + e.Message) }.ToEquatableArray());
            }
        }

        public static Result<AnalyzedModel> AnalyzeModel(ModelSpec spec) => Safely(spec, ShapeEngine.Analyze);

        public static Result<AnalyzedBlock> AnalyzeBlock(ModelSpec spec) => Safely(spec, BlockAnalyzer.Analyze);

        private static Result<T> Safely<T>(ModelSpec spec, Func<ModelSpec, Result<T>> analyze) where T : class
        {
            try
            {
                return analyze(spec);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var diagnostics = spec.Diagnostics.ToBuilderList();
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, spec.Location, spec.ClassName, e.GetType().Name + ": " + e.Message));
                return new Result<T>(null, diagnostics.ToEquatableArray());
            }
        }
    }
}
