using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Layers;
using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator.Shapes
{
    /// <summary>
    /// A [Use&lt;TBlock&gt;] at its place in a model: the block's layers walked from the shape that flows
    /// in, the residual check, and the projection shortcut this place needs. Problems are reported at
    /// the [Use] attribute; the block's own argument errors are left to its declaration.
    /// </summary>
    internal static class BlockUses
    {
        private static readonly UseAttribute<object> Defaults = new();

        /// <summary>The most copies one [Use] may chain: beyond it the generated class would be too large to compile in reasonable time.</summary>
        public const int MaxRepeat = 10_000;

        /// <summary>Repeat must be in [1, <see cref="MaxRepeat"/>] (the parser keeps one copy of a bad Repeat, so the rest is still checked).</summary>
        public static bool CheckRepeat(LayerSpec use, string name, DiagnosticSink sink)
        {
            long repeat = use.Int(nameof(UseAttribute<object>.Repeat), Defaults.Repeat);
            if (repeat >= 1 && repeat <= MaxRepeat) return true;
            ArgumentChecks.Invalid(use, "Use<" + use.Block?.TypeName + ">", name, nameof(UseAttribute<object>.Repeat), repeat,
                repeat < 1 ? "it must be at least 1" : $"it must be at most {MaxRepeat}", sink);
            return false;
        }

        /// <param name="enclosing">The names the use's arguments may use: the enclosing block's (its parameters and In), or none at a model's level.</param>
        public static ResolvedLayer? Resolve(LayerSpec use, string name, Shape input, DiagnosticSink sink, IReadOnlyDictionary<string, long>? enclosing = null)
        {
            var block = use.Block!;
            var inner = sink.ForBlockUse(use.Location, argumentsDependOnUse: block.Params.Count > 0);
            if (!input.IsFeatureMap)
            {
                inner.Report(DiagnosticDescriptors.LayerNeedsFeatureMap, use.Location, "Block", name, LayerInput.NotAMap(input));
                return null;
            }
            // The block's names at this use: In, and its parameters bound to what the use passes.
            string? args = use.Arg(nameof(UseAttribute<object>.Args))?.Text;
            var scope = BlockParameters.Bind(block, args, input.Channels, enclosing ?? new Dictionary<string, long>(), out string bindProblem);
            if (scope is null)
            {
                inner.Report(DiagnosticDescriptors.InvalidBlock, use.Location, name, $"cannot use {block.TypeName}(\"{args}\"): {bindProblem}");
                return null;
            }
            var layers = block.Layers.ToList();
            // The names the block class gives its layer properties (BlockAnalyzer): numbered around its own members.
            var names = LayerNaming.AssignSkippingMarkers(layers, new HashSet<string>(block.MemberNames.Concat(BlockAnalyzer.OwnMembers), System.StringComparer.Ordinal), null);
            var keys = StateDictKeys.Assign(layers, names, _ => "", BlockAnalyzer.OwnMembers, null, expressionsAllowed: block.Params.Count > 0); // their problems are reported on the block
            // A graph block's taps are its own, qualified by the use in the exported graph ("Fire1/s").
            var taps = block.IsGraph ? new TapScope(layers.Where(l => l.DefinesTap).Select(l => l.Name ?? ""), name + "/") { InputShape = input } : null;
            var children = new List<ResolvedLayer>();
            var byLayer = new ResolvedLayer?[layers.Count];
            bool dynamicKeys = false;
            long parameters = 0, multiplyAdds = 0;
            var current = input;
            for (int i = 0; i < layers.Count; i++)
            {
                var layer = layers[i];
                if (taps is not null && layer.IsChunk)
                {
                    if (ChunkParts.Resolve(layer, $"{name}.Chunk({layer.Name})", use.Stage, current, taps, inner) is not { } part) return null;
                    children.Add(part);
                    continue;
                }
                if (taps is not null && (layer.IsTap || layer.IsFrom))
                {
                    string tap = layer.Name ?? "";
                    if (layer.IsTap) taps.Define(tap, current);
                    else if (taps.TryGet(tap, out var start)) { current = start.Shape; taps.CurrentSource = start.Source; }
                    else return null; // reported on the block
                    string op = layer.IsTap ? GraphEdge.TapOp : GraphEdge.FromOp;
                    children.Add(new ResolvedLayer($"{name}.{op}({tap})", op, use.Stage, current, current, 0, 0,
                        LayerCode.None($"{op}(\"{tap}\")", Notation.Record(op + "Op", Notation.Text(taps.Qualify(tap)))), EquatableArray<ResolvedLayer>.Empty,
                        new GraphEdge(op, tap, taps.CurrentSource)));
                    continue;
                }
                string childName = name + "." + names[i];
                // A piece whose condition is false at this use is not there: no module, no keys, the tensor flows on.
                if (layer.Arg(BlockAnalyzer.When)?.Text is { } when)
                {
                    if (!BlockExpression.TryEvaluate(when, scope, out long on, out string whenProblem))
                    {
                        ReportUseValue(layer, childName, BlockAnalyzer.When, $"\"{when}\"", whenProblem);
                        return null;
                    }
                    if (on == 0) continue;
                }
                ResolvedLayer? r;
                if (layer.IsBlock) r = Resolve(layer, childName, current, inner, scope); // a block in the block: its own walk, reported at the model's use
                else
                {
                    bool expressions = BlockParameters.Expressions(layer).Any();
                    if (BlockParameters.Substitute(layer, scope, out var failed) is not { } valued)
                    {
                        ReportUseValue(layer, childName, failed.Arg.Name, BlockParameters.IsWrongType(failed.Arg) ? failed.Arg.Text! : $"\"{failed.Arg.Text}\"", failed.Why);
                        return null;
                    }
                    layer = valued;
                    if (layer.IsMarker || !LayerCatalog.Get(layer.Kind).AllowedInBlock(layer.Kind)) return null; // reported on the block
                    var family = LayerCatalog.Get(layer.Kind);
                    var config = family.Read(layer, childName, inner);
                    if (config is null) return null;
                    r = ShapeEngine.Resolve(family, config, layer, childName, use.Stage, current, null, inner, taps);
                    // The block class types a member once for every use: values that need another module type cannot be passed.
                    if (r is not null && expressions && r.Code.TypeName != family.TypeName(layer.Kind))
                    {
                        inner.Report(DiagnosticDescriptors.InvalidBlock, use.Location, name,
                            $"at {Names(scope)}, {childName} needs {r.Code.TypeName}, but a layer whose arguments are expressions is a {family.TypeName(layer.Kind)} at every use; write those arguments as numbers");
                        return null;
                    }
                }
                if (r is null) return null;
                if (keys[i] is { } stated && StateDictKeys.IsExpression(stated))
                {
                    // A key that follows the use's values (a Sequential index after an absent piece): evaluated here.
                    if (!BlockExpression.TryEvaluate(stated, scope, out long index, out string keyProblem))
                    {
                        ReportUseValue(layer, childName, StateDictKeys.Argument, $"\"{stated}\"", keyProblem);
                        return null;
                    }
                    keys[i] = N(index);
                    dynamicKeys = true;
                }
                if (keys[i] is { } key && key != names[i]) r = r with { Key = key };
                children.Add(r);
                byLayer[i] = r;
                if (!ShapeEngine.AddTotals(r, use, ref parameters, ref multiplyAdds, inner)) return null;
                current = r.Output;
                if (taps is not null) taps.CurrentSource = childName;
            }

            // A value this use computes (a condition, an argument, a key) that does not work: reported at the use, with the use's values.
            // Reported at the use even for a block without parameters (In is the use's): the value is this use's.
            void ReportUseValue(LayerSpec layer, string childName, string argument, string value, string why) =>
                sink.ForBlockUse(use.Location, argumentsDependOnUse: true).Report(DiagnosticDescriptors.InvalidLayerArgument, use.Location,
                    layer.IsBlock ? "Use<" + layer.Block?.TypeName + ">" : layer.Kind, childName, argument, value, $"{why} (at this use: {Names(scope)})");

            bool project = false;
            long strideH = 1, strideW = 1;
            if (block.IsResidual && current != input)
            {
                string? problem = null;
                if (block.Projection) problem = ProjectionShortcuts.Problem(input, current, "projection shortcut", out strideH, out strideW);
                else problem = "Keep the channel count and size inside the block, or set [Residual(Projection = true)] for a 1×1 projection shortcut.";
                if (problem is not null)
                {
                    inner.Report(DiagnosticDescriptors.ResidualShapeMismatch, use.Location, name, input.ToString(), current.ToString(), problem);
                    return null;
                }
                if (!ShortcutStrideFits(block, name, input, current, children, strideH, strideW, use, inner)) return null;
                project = true;
                if (ProjectionShortcuts.Layers(use, name + ".Shortcut", input, current, strideH, strideW, inner) is not { } shortcutLayers) return null;
                foreach (var shortcut in shortcutLayers)
                {
                    if (!ShapeEngine.AddTotals(shortcut, use, ref parameters, ref multiplyAdds, inner)) return null;
                    children.Add(shortcut with { Key = ResolvedLayer.ShortcutKey + shortcut.Segment }); // registered in the block's Shortcut Sequential
                }
            }

            // Two parts registered under one key at this use (computed keys that coincide) cannot both be in the state_dict.
            var clash = children.Where(c => c.HasModule).GroupBy(c => c.Segment).FirstOrDefault(g => g.Count() > 1);
            if (clash is not null)
            {
                inner.Report(DiagnosticDescriptors.InvalidBlock, use.Location, name, $"registers two parts as '{clash.Key}' at {Names(scope)} ({string.Join(", ", clash.Select(c => c.Name))})");
                return null;
            }
            string construction = block.IsGraph ? PartsConstruction(block, layers, byLayer, project ? children.Skip(children.Count - 2).ToList() : null, dynamicKeys ? keys : null, names)
                : block.Projection ? $"new {block.FullyQualifiedTypeName}({N(input.Channels)}, {(project ? "true" : "false")}, {N(strideH)}, {N(strideW)})"
                : $"new {block.FullyQualifiedTypeName}({N(input.Channels)})";
            string values = block.Params.Count > 0 ? "(" + BlockParameters.Values(block, scope) + ")" : "";
            string description = $"{block.TypeName}{values} block ({children.Count} layers{(project ? ", projection shortcut" : "")}), {input}";
            return new ResolvedLayer(name, block.TypeName, use.Stage, input, current, parameters, multiplyAdds,
                new LayerCode(block.FullyQualifiedTypeName, construction, description, BlockExport(block, project)), children.ToEquatableArray(),
                Arguments: block.Params.Count > 0 ? BlockParameters.Values(block, scope) : null, Residual: block.IsResidual);
        }

        /// <summary>
        /// A graph block's parts constructor call for one use: each member as this use builds it, in the block's order (a
        /// projected merge this use does not need: null), then the projection shortcut when the use needs one.
        /// </summary>
        private static string PartsConstruction(BlockSpec block, List<LayerSpec> layers, ResolvedLayer?[] byLayer, List<ResolvedLayer>? shortcut, string?[]? keys, string[] names)
        {
            var parts = new List<string>();
            var registered = new List<string>(); // with computed keys: each registered member's key at this use, in member order
            for (int i = 0; i < layers.Count; i++)
            {
                var layer = layers[i];
                if (layer.IsMarker) continue;
                var child = byLayer[i]; // null: absent at this use (its condition is false)
                string key = keys?[i] is { } k && !StateDictKeys.IsExpression(k) ? k : names[i];
                if (layer.Has(nameof(UpsampleAttribute.SizeOf)))
                {
                    if (layer.Arg(BlockAnalyzer.When) is not null) parts.Add(child is null ? "false" : "true"); // no module, maybe a flag
                    continue;
                }
                if (MergeLayers.IsMerge(layer.Kind))
                {
                    if (layer.Kind == MergeLayers.Add && layer.Bool(nameof(AddAttribute.Projection), false))
                    {
                        parts.Add(child is { HasModule: true } ? child.Code.Construction : "null");
                        registered.Add(key);
                    }
                    if (layer.Arg(BlockAnalyzer.When) is not null) parts.Add(child is null ? "false" : "true");
                    continue;
                }
                parts.Add(child?.Code.Construction ?? "null");
                registered.Add(key);
            }
            if (keys is not null) parts.Add("keys: new string[] { " + string.Join(", ", registered.Select(k => "\"" + k + "\"")) + " }");
            if (block.Projection) parts.Add("shortcut: " + (shortcut is null ? "null" : Code.ProjectionSequential(shortcut[0].Code.Construction, shortcut[1].Code.Construction)));
            return $"new {block.FullyQualifiedTypeName}({string.Join(", ", parts)})";
        }

        /// <summary>
        /// MDSL0043 unless the projection's stride is the block's own: the stated <see cref="ResidualAttribute.Stride"/>, else
        /// the largest stride one of its layers takes. Two strided layers shrink the map by the product, which a shortcut
        /// would silently follow — a ResNet block that strides twice builds, and after a global pool nothing complains.
        /// </summary>
        private static bool ShortcutStrideFits(BlockSpec block, string name, Shape input, Shape output, List<ResolvedLayer> layers,
            long strideH, long strideW, LayerSpec use, DiagnosticSink sink)
        {
            var strided = layers.Where(l => l.Input.IsFeatureMap && l.Output.IsFeatureMap && (l.Output.Height < l.Input.Height || l.Output.Width < l.Input.Width)).ToList();
            long Ratio(ResolvedLayer l, bool height) => height ? ProjectionShortcuts.Strides(l.Input, l.Output).H : ProjectionShortcuts.Strides(l.Input, l.Output).W;
            long declaredH = block.DeclaredStride > 0 ? block.DeclaredStride : strided.Select(l => Ratio(l, true)).DefaultIfEmpty(1).Max();
            long declaredW = block.DeclaredStride > 0 ? block.DeclaredStride : strided.Select(l => Ratio(l, false)).DefaultIfEmpty(1).Max();
            if (strideH == declaredH && strideW == declaredW) return true;
            string by = strideH == strideW ? N(strideH) : $"{N(strideH)}×{N(strideW)}";
            string declared = declaredH == declaredW ? N(declaredH) : $"{N(declaredH)}×{N(declaredW)}";
            string which = strided.Count == 0 ? "no layer strides" : string.Join(", ", strided.Select(l => $"{l.Name.Substring(name.Length + 1)} {l.Input.Height}×{l.Input.Width} → {l.Output.Height}×{l.Output.Width}"));
            sink.Report(DiagnosticDescriptors.ResidualOverStrided, use.Location, name, input.ToString(), output.ToString(), by, which, declared);
            return false;
        }

        /// <summary>The block use's <c>BlockOp</c>: its children are the block's layers, then (projected) the shortcut's conv and batch norm.</summary>
        private static string BlockExport(BlockSpec block, bool projected)
        {
            string then = block.IsResidual && block.ResidualThen != nameof(Act.None) ? ActivationLayers.ExportWithDefaults(block.ResidualThen) : "null";
            return Notation.Record("BlockOp", Notation.Text(block.TypeName), Code.Bool(block.IsResidual), Code.Bool(projected), then);
        }

        /// <summary>"In = 16, Out = 24, Stride = 2": a use's names, for messages.</summary>
        private static string Names(IReadOnlyDictionary<string, long> scope) => string.Join(", ", scope.Select(kv => $"{kv.Key} = {N(kv.Value)}"));

        private static string N(long v) => v.ToString(CultureInfo.InvariantCulture);
    }
}
