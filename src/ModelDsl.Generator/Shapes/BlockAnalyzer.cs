using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Layers;
using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator.Shapes
{
    /// <summary>
    /// Checks a [Block] declaration on its own (arguments, names, the layers a block may hold) and
    /// writes down its layers' code over the constructor's <c>channels</c>. Shapes are checked where
    /// the block is used (<see cref="BlockUses"/>).
    /// </summary>
    internal static class BlockAnalyzer
    {
        /// <summary>Names a block's generated members take besides its layers.</summary>
        public static readonly string[] OwnMembers = { "Shortcut", "Activation" };

        public static Result<AnalyzedBlock> Analyze(ModelSpec spec)
        {
            var diagnostics = spec.Diagnostics.ToList();
            var sink = new DiagnosticSink(diagnostics);
            var layers = spec.Layers.Where(l => !l.IsStage).ToList();
            var names = LayerNaming.Assign(layers, new HashSet<string>(spec.ReservedNames.Concat(OwnMembers), StringComparer.Ordinal), sink);
            var keys = StateDictKeys.Assign(layers, names, _ => "", OwnMembers, sink);
            var configs = new LayerConfig?[layers.Count];
            for (int i = 0; i < layers.Count; i++)
            {
                var layer = layers[i];
                var family = LayerCatalog.Get(layer.Kind);
                if (!family.AllowedInBlock(layer.Kind))
                {
                    // Each refusal says why (docs/diagnostics/MDSL0020.md lists them all).
                    string why = family is MergeLayers ? "taps and merges belong to a model's graph, a block is a chain (its one merge is the residual [Residual] gives it)"
                        : family is ReshapeLayers ? "a block keeps C×H×W feature maps and is built from its input channels alone, so reshape in the model"
                        : "a block works on feature maps and is built from its input channels alone, so put flat layers in the model";
                    sink.Report(DiagnosticDescriptors.InvalidBlock, layer.Location, spec.ClassName, $"contains [{layer.Kind}]; {why}");
                    continue;
                }
                configs[i] = family.Read(layer, names[i], sink);
            }
            bool canEmit = spec.CanEmit && spec.OwnBlock is not null && configs.All(c => c is not null) && !diagnostics.Any(d => d.IsError);
            if (canEmit) return new Result<AnalyzedBlock>(Describe(spec, layers, names, keys, configs!), diagnostics.ToEquatableArray());
            var surface = spec.CanDeclare && spec.OwnBlock is { } own ? Surface(spec, own, layers, names, configs, diagnostics) : null;
            return new Result<AnalyzedBlock>(null, diagnostics.ToEquatableArray(), surface);
        }

        /// <summary>The public surface of a block with errors: its constructor and the properties of the layers that could be read.</summary>
        private static ModelSurface Surface(ModelSpec spec, BlockSpec block, List<LayerSpec> layers, string[] names, LayerConfig?[] configs, List<DiagnosticInfo> diagnostics)
        {
            var members = new List<SurfaceMember>();
            for (int i = 0; i < layers.Count; i++)
                if (configs[i] is { } config)
                    members.Add(new SurfaceMember(names[i], config.ModuleType ?? LayerCatalog.Get(layers[i].Kind).TypeName(layers[i].Kind), config.Describe("in", "out")));
            string? activation = block.IsResidual && block.ResidualThen != nameof(Act.None) ? ActivationLayers.TypeNameOf(block.ResidualThen) : null;
            return new ModelSurface(spec.Type, true, ShapeEngine.ProblemText(spec.ClassName, diagnostics), null, 0, members.ToEquatableArray(),
                EquatableArray<string>.Empty, block.Projection, activation);
        }

        private static AnalyzedBlock Describe(ModelSpec spec, List<LayerSpec> layers, string[] names, string?[] keys, LayerConfig[] configs)
        {
            var block = spec.OwnBlock!;
            var members = new List<BlockMember>();
            string current = "channels"; // channel counts are C# expressions over the constructor's argument
            for (int i = 0; i < layers.Count; i++)
            {
                string inExpr = current;
                if (configs[i].DeclaredOutChannels is { } declared) current = declared.ToString(CultureInfo.InvariantCulture);
                string description = configs[i].MapsChannels ? configs[i].Describe("in", "out") : configs[i].Describe("channels", "channels");
                var family = LayerCatalog.Get(layers[i].Kind);
                members.Add(new BlockMember(names[i], new LayerCode(configs[i].ModuleType ?? family.TypeName(layers[i].Kind), configs[i].Construct(inExpr, current), description), keys[i] ?? names[i]));
            }
            var shortcut = block.Projection
                ? new ProjectionShortcut(ConvolutionLayers.ProjectionShortcutCall("channels", current), BatchNormLayers.ProjectionShortcut().Construct(current, current))
                : null;
            string? activation = block.IsResidual && block.ResidualThen != nameof(Act.None) ? block.ResidualThen : null;
            return new AnalyzedBlock(spec.Type, members.ToEquatableArray(), block.IsResidual, activation, shortcut);
        }
    }
}
