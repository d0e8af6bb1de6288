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
    /// [Model] and [Block] classes → TorchSharp modules. Both paths run one way: attribute data →
    /// equatable <see cref="ModelSpec"/> (Parsing) → analysed value + diagnostics (Shapes, with the layer
    /// families of Layers) → source text (Emit). No symbol or syntax node outlives the first step, so an
    /// unrelated edit re-runs nothing; the emitters see no locations, so a moved declaration re-emits nothing.
    /// Step names: <see cref="PipelineStepNames"/>; docs/ARCHITECTURE.md describes the whole pipeline.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class ModelGenerator : IIncrementalGenerator
    {
        public const string ModelAttribute = "ModelDsl." + nameof(ModelDsl.ModelAttribute);
        public const string BlockAttribute = "ModelDsl." + nameof(ModelDsl.BlockAttribute);

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var models = context.SyntaxProvider
                .ForAttributeWithMetadataName(ModelAttribute, static (node, _) => node is ClassDeclarationSyntax,
                    static (ctx, ct) => SafeParse(ctx, isBlock: false, ct))
                .WithTrackingName(PipelineStepNames.ModelSpecs)
                .Select(static (spec, _) => Safely(spec, ShapeEngine.Analyze))
                .WithTrackingName(PipelineStepNames.AnalyzedModels);

            var blocks = context.SyntaxProvider
                .ForAttributeWithMetadataName(BlockAttribute, static (node, _) => node is ClassDeclarationSyntax,
                    static (ctx, ct) => SafeParse(ctx, isBlock: true, ct))
                .WithTrackingName(PipelineStepNames.BlockSpecs)
                .Select(static (spec, _) => Safely(spec, BlockAnalyzer.Analyze))
                .WithTrackingName(PipelineStepNames.AnalyzedBlocks);

            // Diagnostics and emitted values leave each path separately: a change of location alone
            // (a line inserted above a class) reaches the diagnostics, never the emitters.
            context.RegisterSourceOutput(models.Select(static (r, _) => r.Diagnostics), static (spc, diagnostics) => Report(spc, diagnostics));
            context.RegisterSourceOutput(models.Select(static (r, _) => r.Value).WithTrackingName(PipelineStepNames.ModelsToEmit),
                static (spc, model) => Emit(spc, model, m => m.Type, ModelEmitter.Emit));
            context.RegisterSourceOutput(blocks.Select(static (r, _) => r.Diagnostics), static (spc, diagnostics) => Report(spc, diagnostics));
            context.RegisterSourceOutput(blocks.Select(static (r, _) => r.Value).WithTrackingName(PipelineStepNames.BlocksToEmit),
                static (spc, block) => Emit(spc, block, b => b.Type, BlockEmitter.Emit));
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
                return ModelSpec.Failed(name, isBlock, location,
                    new[] { DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, location, name, e.GetType().Name + ": " + e.Message) }.ToEquatableArray());
            }
        }

        private static Result<T> Safely<T>(ModelSpec spec, Func<ModelSpec, Result<T>> analyze) where T : class
        {
            try
            {
                return analyze(spec);
            }
            catch (Exception e)
            {
                var diagnostics = spec.Diagnostics.ToBuilderList();
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, spec.Location, spec.ClassName, e.GetType().Name + ": " + e.Message));
                return new Result<T>(null, diagnostics.ToEquatableArray());
            }
        }

        private static void Report(SourceProductionContext spc, EquatableArray<DiagnosticInfo> diagnostics)
        {
            foreach (var d in diagnostics) spc.ReportDiagnostic(d.ToDiagnostic());
        }

        private static void Emit<T>(SourceProductionContext spc, T? value, Func<T, GeneratedType> type, Func<T, string> emit) where T : class
        {
            if (value is null) return;
            try
            {
                spc.AddSource(type(value).HintName, emit(value));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The emitter sees no locations (so that moving a class re-emits nothing); the message names the class.
                spc.ReportDiagnostic(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, null, type(value).ClassName, e.GetType().Name + ": " + e.Message).ToDiagnostic());
            }
        }
    }
}
