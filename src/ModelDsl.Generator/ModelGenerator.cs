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
    /// The MDSL diagnostics of those steps are reported by <see cref="ModelDiagnosticsAnalyzer"/>, which runs the same
    /// steps (<see cref="ModelPipeline"/>): editors ask analyzers, not generators. This generator reports only an
    /// exception of its emitters, which no analyzer can see.
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
                    static (ctx, ct) => Parse(ctx, isBlock: false, ct))
                .WithTrackingName(PipelineStepNames.ModelSpecs)
                .Select(static (spec, _) => ModelPipeline.AnalyzeModel(spec))
                .WithTrackingName(PipelineStepNames.AnalyzedModels);

            var blocks = context.SyntaxProvider
                .ForAttributeWithMetadataName(BlockAttribute, static (node, _) => node is ClassDeclarationSyntax,
                    static (ctx, ct) => Parse(ctx, isBlock: true, ct))
                .WithTrackingName(PipelineStepNames.BlockSpecs)
                .Select(static (spec, _) => ModelPipeline.AnalyzeBlock(spec))
                .WithTrackingName(PipelineStepNames.AnalyzedBlocks);

            context.RegisterSourceOutput(models.Select(static (r, _) => r.Value).WithTrackingName(PipelineStepNames.ModelsToEmit),
                static (spc, model) => Emit(spc, model, m => m.Type, ModelEmitter.Emit));
            context.RegisterSourceOutput(blocks.Select(static (r, _) => r.Value).WithTrackingName(PipelineStepNames.BlocksToEmit),
                static (spc, block) => Emit(spc, block, b => b.Type, BlockEmitter.Emit));
            // A class with errors still gets its public surface, so its uses compile and only the MDSL errors show.
            context.RegisterSourceOutput(models.Select(static (r, _) => r.Surface).WithTrackingName(PipelineStepNames.SurfacesToEmit),
                static (spc, surface) => Emit(spc, surface, s => s.Type, ModelSurfaceEmitter.Emit));
            context.RegisterSourceOutput(blocks.Select(static (r, _) => r.Surface),
                static (spc, surface) => Emit(spc, surface, s => s.Type, ModelSurfaceEmitter.Emit));
        }

        private static ModelSpec Parse(GeneratorAttributeSyntaxContext ctx, bool isBlock, CancellationToken ct)
            => ModelPipeline.Parse((INamedTypeSymbol)ctx.TargetSymbol, (ClassDeclarationSyntax)ctx.TargetNode, ctx.Attributes[0],
                ctx.SemanticModel.Compilation, isBlock, ct);

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
