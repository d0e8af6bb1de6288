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
        /// <summary>The condition argument of a block's piece (<see cref="LayerAttribute.When"/>).</summary>
        public const string When = nameof(LayerAttribute.When);

        /// <summary>Names a block's generated members take besides its layers.</summary>
        public static readonly string[] OwnMembers = { "Shortcut", "Activation" };

        public static Result<AnalyzedBlock> Analyze(ModelSpec spec)
        {
            var diagnostics = spec.Diagnostics.ToList();
            var sink = new DiagnosticSink(diagnostics);
            var layers = spec.Layers.Where(l => !l.IsStage).ToList();
            var names = LayerNaming.AssignSkippingMarkers(layers, new HashSet<string>(spec.ReservedNames.Concat(OwnMembers), StringComparer.Ordinal), sink);
            var keys = StateDictKeys.Assign(layers, names, _ => "", OwnMembers, sink, expressionsAllowed: spec.OwnBlock?.Params.Count > 0);
            bool graph = spec.OwnBlock?.IsGraph == true;
            if (graph) CheckTaps(layers, names, sink);
            if (spec.OwnBlock is { } declared) CheckParams(spec, declared, layers, names, sink);
            var configs = new LayerConfig?[layers.Count];
            for (int i = 0; i < layers.Count; i++)
            {
                var layer = layers[i];
                if (layer.IsMarker || layer.IsBlock) continue; // a nested block is checked on its own declaration
                var family = LayerCatalog.Get(layer.Kind);
                // Arguments written as expressions have values only at a use: the layer is read (and checked) there.
                if (BlockParameters.Expressions(layer).Any() && family.AllowedInBlock(layer.Kind)) continue;
                if (!family.AllowedInBlock(layer.Kind))
                {
                    // Each refusal says why (docs/diagnostics/MDSL0020.md lists them all).
                    string why = family is ReshapeLayers ? "a block keeps C×H×W feature maps and is built from its input channels alone, so reshape in the model"
                        : "a block works on feature maps and is built from its input channels alone, so put flat layers in the model";
                    sink.Report(DiagnosticDescriptors.InvalidBlock, layer.Location, spec.ClassName, $"contains [{layer.Kind}]; {why}");
                    continue;
                }
                configs[i] = family.Read(layer, names[i], sink);
            }
            bool canEmit = spec.CanEmit && spec.OwnBlock is not null
                && configs.Select((c, i) => c is not null || layers[i].IsMarker || layers[i].IsBlock || BlockParameters.Expressions(layers[i]).Any()).All(ok => ok)
                && !diagnostics.Any(d => d.IsError);
            if (canEmit)
                return new Result<AnalyzedBlock>(graph ? DescribeGraph(spec, layers, names, keys, configs) : Describe(spec, layers, names, keys, configs!), diagnostics.ToEquatableArray());
            var surface = spec.CanDeclare && spec.OwnBlock is { } own ? Surface(spec, own, layers, names, configs, diagnostics) : null;
            return new Result<AnalyzedBlock>(null, diagnostics.ToEquatableArray(), surface);
        }

        /// <summary>
        /// A block's parameters (identifiers, once each, not <c>In</c>; a default may use <c>In</c> and the parameters before it)
        /// and the names its expressions use (a layer argument, an inner [Use]'s arguments): each must be <c>In</c> or a parameter,
        /// MDSL0007 on the argument otherwise.
        /// </summary>
        private static void CheckParams(ModelSpec spec, BlockSpec block, List<LayerSpec> layers, string[] names, DiagnosticSink sink)
        {
            var known = new List<string> { BlockParameters.In };
            foreach (var parameter in block.Params)
            {
                string? problem = !Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(parameter.Name) ? $"'{parameter.Name}' is not a name"
                    : parameter.Name == BlockParameters.In ? "In is the block's input channels, a name every block has"
                    : known.Contains(parameter.Name) ? $"'{parameter.Name}' is declared twice"
                    : parameter.Default is { } d && BlockExpression.Names(d).FirstOrDefault(n => !known.Contains(n)) is { } unknown ? $"the default of {parameter.Name} uses '{unknown}', which is not In or an earlier parameter"
                    : null;
                if (problem is not null) sink.Report(DiagnosticDescriptors.InvalidBlock, spec.Location, spec.ClassName, $"has Params \"{BlockParameters.Describe(block)}\" that cannot be used: {problem}");
                known.Add(parameter.Name);
            }
            for (int i = 0; i < layers.Count; i++)
            {
                var layer = layers[i];
                var expressions = (layer.IsBlock
                    ? layer.Args.Where(a => a.Name == nameof(UseAttribute<object>.Args) && a.Text is not null)
                    : BlockParameters.Expressions(layer)).Concat(layer.Args.Where(a => a.Name == When && a.Text is not null));
                foreach (var arg in expressions)
                {
                    if (BlockParameters.IsWrongType(arg))
                    {
                        sink.Report(DiagnosticDescriptors.InvalidLayerArgument, arg.Location ?? layer.Location, layer.Kind, names[i] ?? "", arg.Name, arg.Text!, "it takes an integer or an expression string");
                        continue;
                    }
                    var parts = layer.IsBlock ? BlockExpression.SplitTopLevel(arg.Text!).Select(p => p.Contains("=") && !p.Contains("==") ? p.Substring(p.IndexOf('=') + 1) : p) : new[] { arg.Text! };
                    var unknown = parts.SelectMany(BlockExpression.Names).FirstOrDefault(n => !known.Contains(n));
                    if (unknown is null) continue;
                    sink.Report(DiagnosticDescriptors.InvalidLayerArgument, arg.Location ?? layer.Location, layer.IsBlock ? "Use<" + layer.Block?.TypeName + ">" : layer.Kind, names[i] ?? "",
                        arg.Name, $"\"{arg.Text}\"", $"'{unknown}' is not a name here (a block's expressions use In and its parameters: {string.Join(", ", known)})");
                }
            }
        }

        /// <summary>
        /// A graph block's taps, checked on its declaration (they are the same at every use): a name given twice is MDSL0032, a
        /// From or merge of a tap not defined before it MDSL0031 (defined later) or MDSL0030 (nowhere).
        /// </summary>
        private static void CheckTaps(List<LayerSpec> layers, string[] names, DiagnosticSink sink)
        {
            var declared = new HashSet<string>(layers.Where(l => l.DefinesTap).Select(l => l.Name ?? ""), StringComparer.Ordinal);
            var defined = new List<string>();
            for (int i = 0; i < layers.Count; i++)
            {
                var layer = layers[i];
                string? tap = layer.DefinesTap || layer.IsFrom ? layer.Name ?? "" : MergeLayers.IsMerge(layer.Kind) ? layer.Arg(nameof(AddAttribute.Tap))?.Text ?? "" : null;
                if (tap is null) continue;
                if (layer.DefinesTap)
                {
                    if (tap.Length == 0) sink.Report(DiagnosticDescriptors.NameNotUsable, layer.Location, tap, "a tap needs a name, e.g. [Tap(\"x\")]");
                    else if (defined.Contains(tap)) sink.Report(DiagnosticDescriptors.DuplicateTap, layer.Location, tap);
                    else defined.Add(tap);
                    continue;
                }
                if (tap.Length == 0 && layer.IsFrom)
                {
                    sink.Report(DiagnosticDescriptors.NameNotUsable, layer.Location, tap, "From restarts the chain from a tap, so it needs the tap's name, e.g. [From(\"x\")]");
                    continue;
                }
                if (tap.Length == 0 || defined.Contains(tap)) continue; // an empty merge tap is MDSL0007 from the merge's own reading
                string kind = layer.IsFrom ? "From" : layer.Kind, name = layer.IsFrom ? $"From(\"{tap}\")" : names[i];
                var location = layer.IsFrom ? layer.Location : layer.LocationOf(nameof(AddAttribute.Tap));
                if (declared.Contains(tap)) sink.Report(DiagnosticDescriptors.TapUsedBeforeDefined, location, kind, name, tap);
                else sink.Report(DiagnosticDescriptors.UnknownTap, location, kind, name, tap,
                    defined.Count == 0 ? "; a block's merges and From use the block's own taps: add [Tap(\"" + tap + "\")] in the block" : " (the block's taps so far: " + string.Join(", ", defined) + ")");
            }
        }

        /// <summary>
        /// A graph block: its members (every layer, nested block and projected merge, in order, each registered under its key)
        /// and its forward as steps. The model builds the members for each use and passes them to the parts constructor.
        /// </summary>
        private static AnalyzedBlock DescribeGraph(ModelSpec spec, List<LayerSpec> layers, string[] names, string?[] keys, LayerConfig?[] configs)
        {
            var block = spec.OwnBlock!;
            var members = new List<BlockMember>();
            var steps = new List<BlockStep>();
            for (int i = 0; i < layers.Count; i++)
            {
                var layer = layers[i];
                if (layer.IsTap) { steps.Add(new BlockStep(BlockStep.Tap, null, layer.Name)); continue; }
                if (layer.IsChunk) { steps.Add(new BlockStep(BlockStep.Chunk, null, layer.Name, Arguments: $"{ChunkParts.Index(layer)}, {ChunkParts.Parts(layer)}")); continue; }
                if (layer.IsFrom) { steps.Add(new BlockStep(BlockStep.From, null, layer.Name)); continue; }
                string key = keys[i] ?? names[i];
                // A piece with a condition may be absent at a use: a nullable member, a guarded step.
                bool conditional = layer.Arg(When)?.Text is not null;
                // A conditional step without a module of its own (a resize, a merge) runs by a flag the use sets: its member, its name.
                string? RunFlag()
                {
                    if (!conditional) return null;
                    string flag = names[i] + "On";
                    members.Add(new BlockMember(flag, new LayerCode(BlockMember.FlagType, "", $"Whether {names[i]} runs at this use ({layer.Arg(When)!.Text})."), flag));
                    return flag;
                }
                if (layer.IsBlock)
                {
                    var inner = layer.Block!;
                    members.Add(new BlockMember(names[i], new LayerCode(inner.FullyQualifiedTypeName, "", $"a use of block {inner.TypeName}" + (conditional ? $", where {layer.Arg(When)!.Text}" : "")), key, conditional));
                    steps.Add(new BlockStep(BlockStep.Module, names[i], null, Optional: conditional));
                    continue;
                }
                var config = configs[i];
                if (layer.Arg(nameof(PaddingLayerAttribute.SizeOf))?.Text is { } padTo && layer.Kind != UpsampleLayer.Upsample)
                {
                    // No module: the forward pads to the reference tensor's height and width.
                    steps.Add(new BlockStep(BlockStep.PadTo, null, padTo, Flag: RunFlag(),
                        Arguments: $"\"{PaddingLayers.Mode(layer.Kind)}\", {Code.Double(layer.Real(nameof(ConstantPad2dAttribute.Value), 0))}"));
                    continue;
                }
                if (layer.Arg(nameof(UpsampleAttribute.SizeOf))?.Text is { } sizeOf)
                {
                    // No module: the forward resizes to the reference tensor's height and width.
                    string mode = layer.Arg(nameof(UpsampleAttribute.Mode))?.Text ?? nameof(UpsampleMode.Nearest);
                    bool align = mode != nameof(UpsampleMode.Nearest) && layer.Bool(nameof(UpsampleAttribute.AlignCorners), false);
                    steps.Add(new BlockStep(BlockStep.UpsampleTo, null, sizeOf, Flag: RunFlag(), Arguments: $"global::ModelDsl.UpsampleMode.{mode}, {(align ? "true" : "false")}"));
                    continue;
                }
                if (MergeLayers.IsMerge(layer.Kind))
                {
                    string tap = layer.Arg(nameof(AddAttribute.Tap))?.Text ?? "";
                    bool projection = layer.Kind == MergeLayers.Add && layer.Bool(nameof(AddAttribute.Projection), false);
                    if (projection) members.Add(new BlockMember(names[i], new LayerCode("global::TorchSharp.Modules.Sequential", "", "the 1×1 convolution + BatchNorm2d projection of the tap, where a use needs one"), key, Optional: true));
                    string kind = layer.Kind == MergeLayers.Add ? BlockStep.Add : layer.Kind == MergeLayers.Concat ? BlockStep.Concat : BlockStep.Multiply;
                    bool tapFirst = layer.Kind == MergeLayers.Concat && layer.Arg(nameof(ConcatAttribute.Order))?.Text == nameof(ConcatOrder.TapFirst);
                    steps.Add(new BlockStep(kind, projection ? names[i] : null, tap, tapFirst, RunFlag()));
                    continue;
                }
                var family = LayerCatalog.Get(layer.Kind);
                // A layer whose arguments are expressions is read at each use; its type is its family's at every one (BlockUses checks).
                string description = config is null ? $"{layer.Kind}({string.Join(", ", layer.Args.Select(a => $"{a.Name} = {a.Text ?? a.Integer.ToString(System.Globalization.CultureInfo.InvariantCulture)}"))}), evaluated at each use"
                    : config.MapsChannels ? config.Describe("in", "out") : config.Describe("channels", "channels");
                members.Add(new BlockMember(names[i], new LayerCode(config?.ModuleType ?? family.TypeName(layer.Kind), "", description + (conditional ? $" Present where {layer.Arg(When)!.Text}." : "")), key, conditional));
                steps.Add(new BlockStep(BlockStep.Module, names[i], null, Optional: conditional));
            }
            var shortcut = block.Projection ? new ProjectionShortcut("", "") : null;
            string? activation = block.IsResidual && block.ResidualThen != nameof(Act.None) ? block.ResidualThen : null;
            return new AnalyzedBlock(spec.Type, members.ToEquatableArray(), block.IsResidual, activation, shortcut, steps.ToEquatableArray());
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
