using System;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator
{
    /// <summary>
    /// [Model] and [Block] classes → TorchSharp modules. Pipeline: attribute data → equatable
    /// <see cref="ModelSpec"/> (Parsing) → <see cref="AnalyzedModel"/> (Shapes) → source text (Emit).
    /// No symbol or syntax node outlives the first step, so an unrelated edit re-runs nothing.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class ModelGenerator : IIncrementalGenerator
    {
        public const string ModelAttribute = "ModelDsl.ModelAttribute";
        public const string BlockAttribute = "ModelDsl.BlockAttribute";

        /// <summary>Step names for incremental-generator tests.</summary>
        public static class Steps
        {
            public const string ModelSpecs = nameof(ModelSpecs);
            public const string AnalyzedModels = nameof(AnalyzedModels);
            public const string BlockSpecs = nameof(BlockSpecs);
        }

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var models = context.SyntaxProvider
                .ForAttributeWithMetadataName(ModelAttribute, static (node, _) => node is ClassDeclarationSyntax,
                    static (ctx, ct) => SafeParse(ctx, isBlock: false, ct))
                .WithTrackingName(Steps.ModelSpecs);

            var analyzed = models
                .Select(static (spec, _) => SafeAnalyze(spec))
                .WithTrackingName(Steps.AnalyzedModels);

            var blocks = context.SyntaxProvider
                .ForAttributeWithMetadataName(BlockAttribute, static (node, _) => node is ClassDeclarationSyntax,
                    static (ctx, ct) => SafeParse(ctx, isBlock: true, ct))
                .WithTrackingName(Steps.BlockSpecs);

            context.RegisterSourceOutput(analyzed, static (spc, model) => EmitModel(spc, model));
            context.RegisterSourceOutput(blocks, static (spc, block) => EmitBlock(spc, block));
        }

        // A generator that throws loses all its output for the whole compilation (CS8785), so every
        // step turns an unexpected exception into an MDSL9999 diagnostic on the class instead.

        private static ModelSpec SafeParse(GeneratorAttributeSyntaxContext ctx, bool isBlock, CancellationToken ct)
        {
            try
            {
                return ModelParser.Parse(ctx, isBlock, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var name = ctx.TargetSymbol.Name;
                var location = LocationInfo.From(((ClassDeclarationSyntax)ctx.TargetNode).Identifier.GetLocation());
                return new ModelSpec(null, name, name + ".g.cs", EquatableArray<string>.Empty, isBlock, 0, 0, 0, 0, location,
                    EquatableArray<LayerSpec>.Empty, null,
                    new[] { DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, location, name, e.GetType().Name + ": " + e.Message) }.ToEquatableArray(),
                    false, EquatableArray<string>.Empty);
            }
        }

        private static AnalyzedModel SafeAnalyze(ModelSpec spec)
        {
            try
            {
                return ShapeEngine.Analyze(spec);
            }
            catch (Exception e)
            {
                var diagnostics = spec.Diagnostics.ToBuilderList();
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, spec.Location, spec.ClassName, e.GetType().Name + ": " + e.Message));
                return new AnalyzedModel(spec, default, default, 0, 0, EquatableArray<ResolvedLayer>.Empty, EquatableArray<string>.Empty,
                    diagnostics.ToEquatableArray(), false);
            }
        }

        private static void EmitModel(SourceProductionContext spc, AnalyzedModel model)
        {
            foreach (var d in model.Diagnostics) spc.ReportDiagnostic(d.ToDiagnostic());
            if (!model.CanEmit) return;
            Guarded(spc, model.Spec, () => spc.AddSource(model.Spec.HintName, ModelEmitter.Emit(model)));
        }

        private static void EmitBlock(SourceProductionContext spc, ModelSpec block)
        {
            Guarded(spc, block, () =>
            {
                var diagnostics = ShapeEngine.CheckBlockDeclaration(block, out bool canEmit);
                foreach (var d in diagnostics) spc.ReportDiagnostic(d.ToDiagnostic());
                if (canEmit && block.OwnBlock is not null) spc.AddSource(block.HintName, BlockEmitter.Emit(block));
            });
        }

        private static void Guarded(SourceProductionContext spc, ModelSpec spec, Action action)
        {
            try
            {
                action();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                spc.ReportDiagnostic(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, spec.Location, spec.ClassName, e.GetType().Name + ": " + e.Message).ToDiagnostic());
            }
        }
    }
}
