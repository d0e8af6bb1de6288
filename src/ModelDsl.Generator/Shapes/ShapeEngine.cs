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
    /// Walks a model's layers from its input shape: every layer's output shape, parameters and
    /// multiply-adds, and every diagnostic — the compile-time twin of running <c>forward</c>.
    /// After a shape error the walk goes on from the output the failing layer was written to give
    /// (<see cref="LayerConfig.OutputDespiteError"/>), so every error of a model shows in one build; where no such output
    /// is known the rest of the net has no input and the walk stops (argument errors of later layers are still reported).
    /// </summary>
    internal static class ShapeEngine
    {
        public static Result<AnalyzedModel> Analyze(ModelSpec spec)
        {
            var diagnostics = spec.Diagnostics.ToList();
            var sink = new DiagnosticSink(diagnostics);
            var input = spec.Features > 0 ? new Shape(spec.Features) : new Shape(spec.Channels, spec.Height, spec.Width);
            var layers = spec.Layers.Where(l => !l.IsStage).ToList();
            var reserved = new HashSet<string>(spec.ReservedNames, StringComparer.Ordinal);
            var stages = CheckStages(spec, reserved, sink);
            foreach (var stage in stages) reserved.Add(stage);
            // Heads take their members before the layers are named, so automatic names step around them.
            var heads = HeadAnalysis.Declare(spec, spec.Layers, reserved, stages, sink);

            // Taps and heads are no layers: they take no property name; taps are checked for duplicates here.
            var modules = layers.Where(l => !l.IsMarker).ToList();
            var names = LayerNaming.AssignSkippingMarkers(layers, reserved, sink);
            var taps = DeclareTaps(layers, sink);
            var stageSet = new HashSet<string>(stages.Concat(heads), StringComparer.Ordinal);
            // Run-time arguments: their defaults stand in at compile time; only an output layer may be sized by one.
            var runtime = RuntimeArguments(spec, sink);
            var outputLayers = OutputLayers(layers);
            var runtimeUses = new Dictionary<string, (long PerUnit, List<string> Layers)>(StringComparer.Ordinal);
            var keys = StateDictKeys.Assign(layers, names, l => l.Stage is { } s && stageSet.Contains(s) ? s : "", stageSet, sink);

            bool inputKnown = spec.CanEmit || (spec.Features > 0 || (spec.Channels > 0 && spec.Height > 0 && spec.Width > 0));
            // Channels alone: any input size. Decide which sizes work first, then walk the net at one of them.
            bool anySize = spec.Features == 0 && spec.Channels > 0 && spec.Height == 0 && spec.Width == 0;
            if (anySize)
            {
                var reference = AnySizeAnalysis.ReferenceInput(spec, layers, names, sink);
                inputKnown &= reference is not null;
                input = reference ?? input;
            }
            taps.InputShape = input; // what Upsample(SizeOf = "input") refers to
            var resolved = new List<ResolvedLayer>();
            var resolvedIndex = new List<int>();
            long parameters = 0, multiplyAdds = 0;
            var at = new WalkState(input, Known: inputKnown);
            // With heads: the trunk's state at the first head (each head starts from it), and each head's output.
            var walk = new HeadWalk();
            var outputs = new List<HeadOutput>();
            void CloseHead()
            {
                if (walk.Head is null || !at.Known || walk.Last is null) return;
                outputs.Add(new HeadOutput(walk.Head, at.Current));
                ClassifierPitfalls(spec, new List<LayerSpec> { walk.Last }, at.Current, sink);
            }
            for (int index = 0; index < layers.Count; index++)
            {
                var layer = layers[index];
                ResolvedLayer? r;
                if (layer.IsHead)
                {
                    if (walk.Head is null) walk.TrunkKnown = at.Known;
                    else CloseHead();
                    walk.Head = layer.Name ?? "";
                    walk.Last = null;
                    taps.EnterHead(walk.Head);
                    at = at with { Known = walk.TrunkKnown };
                    string from = layer.Arg(nameof(HeadAttribute.From))?.Text ?? "";
                    if (from.Length == 0) { at = at.Lost; walk.AllFound = false; continue; } // MDSL0038, reported with the names
                    if (!taps.TryGet(from, out var start))
                    {
                        walk.AllFound = false;
                        if (at.Known) ReportUnknownHeadTap(layer, walk.Head, from, taps, sink);
                        at = at.Lost;
                        continue;
                    }
                    if (!at.Known) continue;
                    at = WalkState.Restart(start.Shape);
                    taps.CurrentSource = start.Source;
                    resolved.Add(new ResolvedLayer(walk.Head, GraphEdge.HeadOp, walk.Head, at.Current, at.Current, 0, 0, LayerCode.None($"Head(\"{walk.Head}\", From = \"{from}\")", Notation.Record("HeadOp", Notation.Text(walk.Head), Notation.Text(from))),
                        EquatableArray<ResolvedLayer>.Empty, new GraphEdge(GraphEdge.HeadOp, from, start.Source)));
                    resolvedIndex.Add(index);
                    continue;
                }
                if (walk.Head is not null && !layer.DefinesTap && !layer.IsFrom) walk.Last = layer;
                if (layer.IsChunk)
                {
                    if (!at.Known) continue;
                    if (ChunkParts.Resolve(layer, layer.Name ?? "", layer.Stage, at.Current, taps, sink) is not { } part) { at = at.Lost; continue; }
                    resolved.Add(part);
                    resolvedIndex.Add(index);
                    continue;
                }
                if (layer.IsFrom)
                {
                    if (!at.Known) continue;
                    string from = layer.Name ?? "";
                    if (!taps.TryGet(from, out var start))
                    {
                        ReportUnknownTap(layer, from, taps, sink);
                        at = at.Lost;
                        continue;
                    }
                    at = WalkState.Restart(start.Shape);
                    taps.CurrentSource = start.Source;
                    resolved.Add(new ResolvedLayer($"From({from})", GraphEdge.FromOp, layer.Stage, at.Current, at.Current, 0, 0,
                        LayerCode.None($"From(\"{from}\")", Notation.Record("FromOp", Notation.Text(from))), EquatableArray<ResolvedLayer>.Empty,
                        new GraphEdge(GraphEdge.FromOp, from, start.Source)));
                    resolvedIndex.Add(index);
                    continue;
                }
                if (layer.IsTap)
                {
                    if (!at.Known) continue;
                    string tap = layer.Name ?? "";
                    if (!taps.TryGet(tap, out _)) taps.Define(tap, at.Current);
                    resolved.Add(new ResolvedLayer(tap, GraphEdge.TapOp, layer.Stage, at.Current, at.Current, 0, 0, LayerCode.None($"Tap(\"{tap}\")", Notation.Record("TapOp", Notation.Text(tap))),
                        EquatableArray<ResolvedLayer>.Empty, new GraphEdge(GraphEdge.TapOp, tap, taps.CurrentSource)));
                    resolvedIndex.Add(index);
                    continue;
                }
                string name = names[index];
                if (layer.IsBlock)
                {
                    RefuseCondition(layer, "Use<" + layer.Block?.TypeName + ">", name, sink);
                    if (!BlockUses.CheckRepeat(layer, name, sink) || !at.Known) { at = at.Lost; continue; }
                    r = BlockUses.Resolve(layer, name, at.Current, sink);
                }
                else
                {
                    var family = LayerCatalog.Get(layer.Kind);
                    // An argument written as an expression outside a block: constants, or a run-time argument's name.
                    var written = layer;
                    if (BlockParameters.Substitute(layer, runtime, out var failed) is not { } valued)
                    {
                        sink.Report(DiagnosticDescriptors.InvalidLayerArgument, failed.Arg.Location ?? layer.Location, layer.Kind, name, failed.Arg.Name,
                            BlockParameters.IsWrongType(failed.Arg) ? failed.Arg.Text! : $"\"{failed.Arg.Text}\"",
                            failed.Why + "; a model's layers take numbers (expressions over names belong to a [Block] with parameters, or name a run-time argument of [Model(Args = …)])");
                        at = at.Lost;
                        continue;
                    }
                    string? sizedBy = RuntimeSize(written, runtime, index, outputLayers, name, sink, out bool refused);
                    if (refused) { at = at.Lost; continue; }
                    layer = valued;
                    RefuseCondition(layer, layer.Kind, name, sink);
                    var config = family.Read(layer, name, sink);
                    if (config is null || !at.Known) { at = at.Lost; continue; }
                    r = Resolve(family, config, layer, name, layer.Stage, at.Current, at.BeforeFlatten, sink, taps, at.PreviousKind);
                    if (r is not null && sizedBy is not null)
                    {
                        // Built with the constructor's argument; one more unit of it adds this many parameters (ParameterCountFor).
                        long inputs = r.Input.IsFlat ? r.Input.Features : r.Input.Channels;
                        var bumped = new Dictionary<string, long>(runtime, StringComparer.Ordinal) { [sizedBy] = runtime[sizedBy] + 1 };
                        var quiet = new DiagnosticSink(new List<DiagnosticInfo>());
                        var wider = BlockParameters.Substitute(written, bumped, out _) is { } w && family.Read(w, name, quiet) is { } c2
                            ? Resolve(family, c2, w, name, layer.Stage, at.Current, at.BeforeFlatten, quiet, taps, at.PreviousKind) : null;
                        r = r with { Code = r.Code with { Construction = config.Construct(inputs.ToString(CultureInfo.InvariantCulture), RuntimeArg.ParameterName(sizedBy)) } };
                        if (!runtimeUses.TryGetValue(sizedBy, out var use)) runtimeUses[sizedBy] = use = (0, new List<string>());
                        runtimeUses[sizedBy] = (use.PerUnit + (wider is null ? 0 : wider.Parameters - r.Parameters), use.Layers.Append(name).ToList());
                    }
                    if (r is null && OutputDespiteError(config, at.Current, taps) is { } despite)
                    {
                        // The error is reported; the walk goes on from what the layer was written to give, so the model's
                        // next error shows in the same build. The layer itself stays unresolved (the surface reads its arguments).
                        at = at.Despite(despite, layer.Kind);
                        taps.CurrentSource = name;
                        continue;
                    }
                }
                if (r is null || !AddTotals(r, layer, ref parameters, ref multiplyAdds, sink)) { at = at.Lost; continue; }
                if (keys[index] is { } key && key != name) r = r with { Key = key };
                resolved.Add(r);
                resolvedIndex.Add(index);
                at = at.After(r.Output, layer.IsBlock ? null : layer.Kind);
                taps.CurrentSource = name;
            }

            if (walk.Head is not null)
            {
                CloseHead();
                // Every head walked: from here on "the model's output" means the heads'.
                at = at with { Known = walk.TrunkKnown && outputs.Count == heads.Count };
                if (walk.AllFound) HeadAnalysis.CheckTrunkEnd(spec, layers, names, sink);
            }
            else if (at.Known && modules.Count > 0) ClassifierPitfalls(spec, modules, at.Current, sink);

            if (!anySize && spec.Features == 0 && spec.Height > 0 && spec.Width > 0)
                ExplainMergesByInputSize(spec, layers, names, diagnostics);

            AnySizeModel? any = null;
            if (anySize && at.Known && !diagnostics.Any(d => d.IsError))
                any = AnySizeAnalysis.Finish(spec, layers, names, resolved, resolvedIndex, input, at.Current, sink);

            bool canEmit = spec.CanEmit && at.Known && !diagnostics.Any(d => d.IsError) && (!anySize || any is not null);
            var runtimeArgs = spec.RuntimeArgs.Where(a => runtime.ContainsKey(a.Name))
                .Select(a => runtimeUses.TryGetValue(a.Name, out var use) ? new RuntimeArg(a.Name, runtime[a.Name], use.PerUnit, use.Layers.ToEquatableArray())
                    : new RuntimeArg(a.Name, runtime[a.Name], 0, EquatableArray<string>.Empty)).ToEquatableArray();
            LayerField field = LayerField.Input;
            var model = canEmit
                ? new AnalyzedModel(spec.Type, input, outputs.Count > 0 ? outputs[0].Output : at.Current, parameters, multiplyAdds,
                    ReceptiveFields.Annotate(resolved, out field).ToEquatableArray(), stages.Concat(heads).ToEquatableArray(), any, outputs.ToEquatableArray(), runtimeArgs)
                    { Field = field }
                : null;
            var surface = model is null && spec.CanDeclare
                ? Surface(spec, layers, names, resolved, resolvedIndex, stages.Concat(heads).ToList(), heads, anySize, diagnostics)
                : null;
            return new Result<AnalyzedModel>(model, diagnostics.ToEquatableArray(), surface);
        }

        /// <summary>
        /// The public surface of a model the analysis could not finish: each layer's property with the type it has
        /// where that is known — from the walk up to the error, then from the layer's arguments alone (a merge's type
        /// depends on the shapes, so a merge after the error is left out) — and the stages and heads.
        /// </summary>
        private static ModelSurface Surface(ModelSpec spec, List<LayerSpec> layers, string[] names, List<ResolvedLayer> resolved, List<int> resolvedIndex,
            List<string> stages, List<string> heads, bool anySize, List<DiagnosticInfo> diagnostics)
        {
            var members = new List<SurfaceMember>();
            var quiet = new DiagnosticSink(new List<DiagnosticInfo>()); // arguments are read again; their errors are already reported
            var stagesWithModules = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < layers.Count; i++)
            {
                var layer = layers[i];
                if (layer.IsMarker) continue;
                int at = resolvedIndex.IndexOf(i);
                SurfaceMember? member = null;
                if (at >= 0)
                {
                    var r = resolved[at];
                    if (r.HasModule) member = new SurfaceMember(r.Name, r.Code.TypeName, $"{r.Code.Description} → {r.Output}");
                }
                else if (layer.IsBlock)
                {
                    if (layer.Block is { } block) member = new SurfaceMember(names[i], block.FullyQualifiedTypeName, $"a use of block {block.TypeName}");
                }
                else
                {
                    var family = LayerCatalog.Get(layer.Kind);
                    if (family.Read(layer, names[i], quiet) is { Graph: null } config)
                        member = new SurfaceMember(names[i], config.ModuleType ?? family.TypeName(layer.Kind), config.Describe("in", "out"));
                }
                if (member is null) continue;
                members.Add(member);
                if (layer.Stage is { } stage && stages.Contains(stage)) stagesWithModules.Add(stage);
            }
            foreach (var stage in stages.Where(stagesWithModules.Contains))
                members.Add(new SurfaceMember(stage, "global::TorchSharp.Modules.Sequential", $"{(heads.Contains(stage) ? "head" : "stage")} {stage}"));
            // Only names that can be declared: a name that drew an MDSL0012/0039 (not an identifier, taken, twice) is left out.
            var reserved = new HashSet<string>(spec.ReservedNames, StringComparer.Ordinal);
            var taken = new HashSet<string>(StringComparer.Ordinal);
            members = members.Where(m => Declarable(m.Name, reserved) && taken.Add(m.Name)).ToList();
            string output = HeadAnalysis.OutputTypeName(spec.ClassName);
            var usableHeads = heads.Distinct(StringComparer.Ordinal)
                .Where(h => heads.Count(x => x == h) == 1 && Declarable(h, reserved) && !reserved.Contains(h + "Shape") && !reserved.Contains(h + "ShapeFor")
                            && h is not ("Heads" or "HeadNames") && h != output && !members.Any(m => m.Name == h + "Shape" || m.Name == h + "ShapeFor"))
                .ToList();
            if (usableHeads.Count != heads.Count) usableHeads.Clear(); // an output record without one of its heads would mislead
            Shape? input = anySize || spec.Diagnostics.Any(d => d.Id == DiagnosticDescriptors.InvalidInputShape.Id) ? null
                : spec.Features > 0 ? new Shape(spec.Features)
                : spec.Channels > 0 && spec.Height > 0 && spec.Width > 0 ? new Shape(spec.Channels, spec.Height, spec.Width) : null;
            return new ModelSurface(spec.Type, false, ProblemText(spec.ClassName, diagnostics), input, anySize ? spec.Channels : 0,
                members.ToEquatableArray(), usableHeads.ToEquatableArray());
        }

        private static bool Declarable(string name, ISet<string> reserved)
            => Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(name)
               && Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) == Microsoft.CodeAnalysis.CSharp.SyntaxKind.None
               && Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetContextualKeywordKind(name) is Microsoft.CodeAnalysis.CSharp.SyntaxKind.None or Microsoft.CodeAnalysis.CSharp.SyntaxKind.VarKeyword
               && !reserved.Contains(name);

        /// <summary>
        /// A merge of mismatched sizes (MDSL0033/0034) in a net of fixed size whose sizes only fail to line up because of the
        /// declared input size (a U-Net at 222×222 pools 222 → 111 → 55 and cannot concatenate 55 with 54): the message
        /// gains the path of the offending axis and the sizes that work, nearest first — found by the same per-axis
        /// programs as a net of any size, and the same words as the runtime guard.
        /// </summary>
        private static void ExplainMergesByInputSize(ModelSpec spec, List<LayerSpec> layers, string[] names, List<DiagnosticInfo> diagnostics)
        {
            int first = diagnostics.FindIndex(d => d.Id == DiagnosticDescriptors.ConcatSizeMismatch.Id || d.Id == DiagnosticDescriptors.AddShapeMismatch.Id);
            if (first < 0) return;
            var plan = AxisPlan.Build(layers, names, null);
            var heights = AcceptedSizes.Of(plan.Height);
            var widths = plan.Width.Equals(plan.Height) ? heights : AcceptedSizes.Of(plan.Width);
            if (heights.IsEmpty || widths.IsEmpty) return; // no size works: the cause is the net, not the input
            string? Axis(string axis, AxisProgram program, AcceptedSizes sizes, long size)
            {
                if (sizes.Contains(size)) return null;
                var trace = new long[program.Count];
                int failed = program.Run(size, trace);
                var path = new List<long> { size };
                for (int i = 0; i < (failed < 0 ? program.Count : failed); i++) if (trace[i] != path[path.Count - 1]) path.Add(trace[i]);
                var (below, above) = sizes.Nearest(size);
                string nearest = below is { } b && above is { } a ? $"{b} or {a}" : (below ?? above)?.ToString(CultureInfo.InvariantCulture) ?? "";
                return $"the input {axis} {size} goes {string.Join(" → ", path)}, where the merged sizes part; it works at {sizes.Describe()} — nearest {nearest}";
            }
            var reasons = new[] { Axis("height", plan.Height, heights, spec.Height), Axis("width", plan.Width, widths, spec.Width) }.Where(r => r is not null).ToList();
            if (reasons.Count == 0) return; // every declared size is accepted: the mismatch is the layers', not the input's
            string hint = $" The cause is the input size: {string.Join("; ", reasons)}. Use such a size, or pad the input.";
            string? firstMerge = null;
            for (int i = first; i < diagnostics.Count; i++)
            {
                var d = diagnostics[i];
                if (d.Id != DiagnosticDescriptors.ConcatSizeMismatch.Id && d.Id != DiagnosticDescriptors.AddShapeMismatch.Id) continue;
                var arguments = d.Arguments.ToList();
                // The first merge the input size breaks gets the path and the sizes that work; later ones point back to it.
                string reason = firstMerge is null ? hint : $" The cause is the input size, as at '{firstMerge}'.";
                firstMerge ??= arguments[0];
                arguments[6] = d.Id == DiagnosticDescriptors.ConcatSizeMismatch.Id ? "." + reason : arguments[6] + reason;
                diagnostics[i] = d with { Arguments = arguments.ToEquatableArray() };
            }
        }

        /// <summary>"Net has errors: MDSL0002 Linear 'Classifier' declares …" — the first three errors, for members that cannot answer.</summary>
        public static string ProblemText(string className, IEnumerable<DiagnosticInfo> diagnostics)
        {
            var errors = diagnostics.Where(d => d.IsError).ToList();
            var shown = errors.Take(3).Select(d => d.Id + " " + string.Format(CultureInfo.InvariantCulture,
                DiagnosticDescriptors.ById(d.Id).MessageFormat.ToString(CultureInfo.InvariantCulture), d.Arguments.Cast<object>().ToArray()));
            return $"{className} has {(errors.Count == 1 ? "an error" : errors.Count + " errors")}: {string.Join("; ", shown)}{(errors.Count > 3 ? "; …" : "")}";
        }

        /// <summary>One layer at <paramref name="input"/>: its shape rule, then its code with the channel counts filled in.</summary>
        public static ResolvedLayer? Resolve(LayerFamily family, LayerConfig config, LayerSpec layer, string name, string? stage, Shape input, Shape? beforeFlatten, DiagnosticSink sink, TapScope? taps = null, string? previousKind = null)
        {
            LayerShape? shape;
            try
            {
                shape = config.Resolve(new LayerInput(layer, name, input, beforeFlatten, sink.AtInput, taps, previousKind));
                if (shape is not null && shape.Output.IsFeatureMap) _ = shape.Output.Elements; // a C×H×W past 2^63 − 1 cannot exist
            }
            catch (CountOverflowException e)
            {
                sink.Report(DiagnosticDescriptors.SizeOutOfRange, layer.Location, layer.Kind, name, input.ToString(), e.What);
                return null;
            }
            catch (OverflowException)
            {
                sink.Report(DiagnosticDescriptors.SizeOutOfRange, layer.Location, layer.Kind, name, input.ToString(), "its output's size or element count");
                return null;
            }
            if (shape is null) return null;
            string inChannels = shape.InChannels.ToString(CultureInfo.InvariantCulture), outChannels = shape.OutChannels.ToString(CultureInfo.InvariantCulture);
            var graph = config.Graph;
            string? export = config.Export(shape.InChannels, shape.OutChannels);
            var code = graph is { Projected: false }
                ? LayerCode.None(config.Describe(inChannels, outChannels), export)
                : new LayerCode(config.ModuleType ?? family.TypeName(layer.Kind), config.Construct(inChannels, outChannels), config.Describe(inChannels, outChannels), export);
            return new ResolvedLayer(name, layer.Kind, stage, input, shape.Output, shape.Parameters, shape.MultiplyAdds, code, config.Children.ToEquatableArray(), graph,
                FieldStep: config.Field(input, shape.Output));
        }

        /// <summary>
        /// [Model(Args = "NumClasses = 10")]: each argument's default (a name, once, with a positive constant default); MDSL0007 on
        /// the model otherwise. The defaults are what the walk sizes with.
        /// </summary>
        private static Dictionary<string, long> RuntimeArguments(ModelSpec spec, DiagnosticSink sink)
        {
            var values = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var arg in spec.RuntimeArgs)
            {
                string? problem = !Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(arg.Name) ? $"'{arg.Name}' is not a name"
                    : values.ContainsKey(arg.Name) ? $"'{arg.Name}' is declared twice"
                    : arg.Default is null ? $"{arg.Name} needs a default (\"{arg.Name} = 10\"), so that the model can be built with no arguments"
                    : !BlockExpression.TryEvaluate(arg.Default, NoNames, out long value, out string why) ? $"the default of {arg.Name}: {why}"
                    : value < 1 ? $"the default of {arg.Name} is {value}; a size must be at least 1"
                    : null;
                if (problem is not null)
                {
                    sink.Report(DiagnosticDescriptors.InvalidLayerArgument, spec.Location, "Model", spec.ClassName, nameof(ModelAttribute.Args), $"\"{BlockParameters.Describe(spec.RuntimeArgs)}\"", problem);
                    continue;
                }
                BlockExpression.TryEvaluate(arg.Default!, NoNames, out long size, out _);
                values[arg.Name] = size;
            }
            return values;
        }

        /// <summary>
        /// The layers a run-time argument may size: those whose output reaches only layers without parameters that pass its
        /// channels on (activations, pools, dropout, Flatten, Softmax, Upsample, padding — SqueezeNet's Conv2d(classes) → ReLU →
        /// pool → flatten), taps, an Add or Multiply with another such layer's output (LRASPP's two classifiers summed), and the
        /// model's or a head's output. Found by following the data: a From restarts from its tap, so a branch that does not use
        /// a sized output does not depend on it. Anything else fed by one (a layer with parameters, a Concat, a Chunk, a merge
        /// with a tensor of other channels) would have its own size depend on the argument, and drops it and what it merged with.
        /// </summary>
        private static HashSet<int> OutputLayers(List<LayerSpec> layers)
        {
            var dropped = new HashSet<int>();
            var candidates = new HashSet<int>();
            var taps = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
            var current = new HashSet<int>(); // the candidates whose output flows into the current tensor
            HashSet<int> At(string? tap) => tap is not null && taps.TryGetValue(tap, out var t) ? new HashSet<int>(t) : new HashSet<int>();
            for (int i = 0; i < layers.Count; i++)
            {
                var layer = layers[i];
                if (layer.IsChunk) { dropped.UnionWith(current); taps[layer.Name ?? ""] = new HashSet<int>(); continue; } // a share of its channels
                if (layer.IsTap) { taps[layer.Name ?? ""] = new HashSet<int>(current); continue; }
                if (layer.IsFrom) { current = At(layer.Name); continue; }
                if (layer.IsHead) { current = At(layer.Arg(nameof(HeadAttribute.From))?.Text); continue; }
                if (layer.IsMarker) continue;
                if (!layer.IsBlock && MergeLayers.IsMerge(layer.Kind))
                {
                    var other = At(layer.Arg(nameof(AddAttribute.Tap))?.Text);
                    bool keepsChannels = layer.Kind != MergeLayers.Concat && !layer.Bool(nameof(AddAttribute.Projection), false);
                    if (keepsChannels && current.Count > 0 && other.Count > 0) current.UnionWith(other);
                    else if (current.Count > 0 || other.Count > 0)
                    {
                        dropped.UnionWith(current);
                        dropped.UnionWith(other);
                        current = new HashSet<int>();
                    }
                    continue;
                }
                if (!layer.IsBlock && PassesChannelsOn(layer)) continue;
                dropped.UnionWith(current);
                current = new HashSet<int> { i };
                candidates.Add(i);
            }
            candidates.ExceptWith(dropped);
            return candidates;
        }

        /// <summary>A layer without parameters whose output has its input's channels (or, after Flatten, follows them).</summary>
        private static bool PassesChannelsOn(LayerSpec layer)
            => LayerCatalog.TryGet(layer.Kind, out var family)
               && family is ActivationLayers or PoolingLayers or AdaptivePoolingLayers or DropoutLayers or FlattenLayer or SoftmaxLayers or UpsampleLayer or PaddingLayers
               && !layer.IsBlock;

        /// <summary>A When on a model's own layer or [Use] (not a [Block]'s piece) is MDSL0007; the layer is still walked.</summary>
        private static void RefuseCondition(LayerSpec layer, string kind, string name, DiagnosticSink sink)
        {
            if (layer.Arg(BlockAnalyzer.When) is { } when)
                sink.Report(DiagnosticDescriptors.InvalidLayerArgument, when.Location ?? layer.Location, kind, name, BlockAnalyzer.When, $"\"{when.Text}\"",
                    "a condition selects a [Block]'s pieces per use; a model's layers are always there");
        }

        /// <summary>
        /// The run-time argument that sizes <paramref name="layer"/> (its Linear OutFeatures or Conv2d OutChannels written as the
        /// argument's name), or null; a layer that uses one elsewhere, or is not an output layer, is MDSL0007 (<paramref name="refused"/>).
        /// </summary>
        private static string? RuntimeSize(LayerSpec layer, Dictionary<string, long> runtime, int index, HashSet<int> outputLayers, string name, DiagnosticSink sink, out bool refused)
        {
            refused = false;
            if (runtime.Count == 0) return null;
            var uses = BlockParameters.Expressions(layer).Where(a => BlockExpression.Names(a.Text!).Any(runtime.ContainsKey)).ToList();
            if (uses.Count == 0) return null;
            var arg = uses[0];
            bool outputSize = (layer.Kind == LinearLayer.Linear && arg.Name == nameof(LinearAttribute.OutFeatures))
                              || (layer.Kind == ConvolutionLayers.Conv2d && arg.Name == nameof(Conv2dAttribute.OutChannels));
            string? problem = uses.Count > 1 || !outputSize || !runtime.ContainsKey(arg.Text!.Trim())
                ? "a run-time argument sizes a Linear's OutFeatures or a Conv2d's OutChannels, written as its name alone"
                : !outputLayers.Contains(index) ? "a run-time argument sizes only the model's last layer (or a head's), or one followed only by layers without parameters that pass its channels on (activations, pools, dropout, Flatten, Upsample, padding) or by an Add with another layer it sizes: what follows would depend on it too"
                : null;
            if (problem is null) return arg.Text!.Trim();
            sink.Report(DiagnosticDescriptors.InvalidLayerArgument, arg.Location ?? layer.Location, layer.Kind, name, arg.Name, $"\"{arg.Text}\"", problem);
            refused = true;
            return null;
        }

        private static readonly Dictionary<string, long> NoNames = new(StringComparer.Ordinal);

        /// <summary><see cref="LayerConfig.OutputDespiteError"/>, with an output too large to exist meaning none.</summary>
        private static Shape? OutputDespiteError(LayerConfig config, Shape input, TapScope taps)
        {
            try
            {
                var output = config.OutputDespiteError(input, taps);
                if (output is { IsFeatureMap: true } map) _ = map.Elements;
                return output;
            }
            catch (Exception e) when (e is OverflowException or CountOverflowException)
            {
                return null;
            }
        }

        /// <summary>A From whose tap is not defined (yet): MDSL0031 when it is defined later, else MDSL0030 with the taps there are.</summary>
        private static void ReportUnknownTap(LayerSpec layer, string tap, TapScope taps, DiagnosticSink sink)
        {
            string name = $"From(\"{tap}\")";
            if (taps.IsDeclared(tap)) sink.Report(DiagnosticDescriptors.TapUsedBeforeDefined, layer.Location, "From", name, tap);
            else
            {
                var known = taps.DefinedNames.ToList();
                sink.Report(DiagnosticDescriptors.UnknownTap, layer.Location, "From", name, tap,
                    known.Count == 0 ? "; add [Tap(\"" + tap + "\")] after the layer whose output the branch starts from" : " (taps defined so far: " + string.Join(", ", known) + ")");
            }
        }

        private static void ReportUnknownHeadTap(LayerSpec layer, string head, string from, TapScope taps, DiagnosticSink sink)
        {
            var trunk = taps.TrunkNames.ToList();
            string where = taps.OfEarlierHead(from) is { } other ? $" in the trunk: it belongs to head '{other.Head}'" : " in the trunk";
            string known = $"{where} (a head starts from a tap before the first [Head]; {(trunk.Count == 0 ? "the trunk has none" : "the trunk's taps: " + string.Join(", ", trunk))})";
            sink.Report(DiagnosticDescriptors.UnknownTap, layer.LocationOf(nameof(HeadAttribute.From)), "Head", head, from, known);
        }

        /// <summary>Every [Tap] name of the model; a name used twice is MDSL0032 (the first one counts).</summary>
        private static TapScope DeclareTaps(List<LayerSpec> layers, DiagnosticSink sink)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var tap in layers.Where(l => l.DefinesTap))
            {
                string name = tap.Name ?? "";
                if (name.Length == 0) sink.Report(DiagnosticDescriptors.NameNotUsable, tap.Location, name, "a tap needs a name, e.g. [Tap(\"skip1\")]");
                else if (!seen.Add(name)) sink.Report(DiagnosticDescriptors.DuplicateTap, tap.Location, name);
            }
            return new TapScope(seen);
        }

        /// <summary>Adds a layer's counts to the model's; MDSL0022 on the layer whose count does not fit.</summary>
        public static bool AddTotals(ResolvedLayer layer, LayerSpec at, ref long parameters, ref long multiplyAdds, DiagnosticSink sink)
        {
            try
            {
                parameters = Counts.Sum("the total parameter count up to it", parameters, layer.Parameters);
                multiplyAdds = Counts.Sum("the total multiply-add count up to it", multiplyAdds, layer.MultiplyAdds);
                return true;
            }
            catch (CountOverflowException e)
            {
                sink.Report(DiagnosticDescriptors.SizeOutOfRange, at.Location, at.IsBlock ? "Block" : at.Kind, layer.Name, layer.Input.ToString(), e.What);
                return false;
            }
        }

        private static List<string> CheckStages(ModelSpec spec, HashSet<string> reserved, DiagnosticSink sink)
        {
            var stages = new List<string>();
            foreach (var marker in spec.Layers.Where(l => l.IsStage))
            {
                string name = marker.Name ?? "";
                string? problem = !Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(name) ? "a stage name must be a valid C# identifier"
                    : stages.Contains(name) ? "two stages have this name; put all of a stage's layers after one [Stage]"
                    : reserved.Contains(name) ? $"the class already has a member named '{name}' (its own or TorchSharp Module's)"
                    : null;
                if (problem is not null) sink.Report(DiagnosticDescriptors.NameNotUsable, marker.Location, name, problem);
                else stages.Add(name);
            }
            return stages;
        }

        private static void ClassifierPitfalls(ModelSpec spec, List<LayerSpec> layers, Shape output, DiagnosticSink sink)
        {
            var last = layers[layers.Count - 1];
            bool softmax = last.Kind == SoftmaxLayers.Softmax;
            if ((softmax || last.Kind == SoftmaxLayers.LogSoftmax) && output.IsFlat && output.Features == 1)
                sink.Report(DiagnosticDescriptors.SingleUnitSoftmax, last.Location, spec.ClassName, last.Kind, softmax ? "1.0" : "0.0");
            else if (softmax)
                sink.Report(DiagnosticDescriptors.TrailingSoftmax, last.Location, spec.ClassName);
        }

        /// <summary>
        /// Where the walk is: the current tensor's shape, the map a Flatten flattened (Linear names it when its declared input
        /// is wrong), the kind of layer that made it (MDSL0015's advice), and whether it is known at all — after an error with
        /// no sensible output the rest of the net has no input.
        /// </summary>
        private sealed record WalkState(Shape Current, Shape? BeforeFlatten = null, string? PreviousKind = null, bool Known = true)
        {
            /// <summary>The shape is lost: later layers are not walked (their argument errors are still reported).</summary>
            public WalkState Lost => this with { Known = false };

            /// <summary>A From or a head: the chain continues from a tap's shape, after no layer.</summary>
            public static WalkState Restart(Shape shape) => new(shape);

            /// <summary>After a layer of <paramref name="kind"/> (null for a block use) that gave <paramref name="output"/>.</summary>
            public WalkState After(Shape output, string? kind) => new(output,
                output.IsFlat && Current.IsFeatureMap ? Current : output.IsFlat ? BeforeFlatten : null, kind, Known);

            /// <summary>After a layer that failed, from the output it was written to give (<see cref="LayerConfig.OutputDespiteError"/>).</summary>
            public WalkState Despite(Shape output, string kind) => new(output, output.IsFlat && Current.IsFeatureMap ? Current : null, kind, Known);
        }

        /// <summary>The heads' part of the walk: the head being walked and its last layer, the trunk's known-ness at the first head, whether every head's tap was found.</summary>
        private sealed class HeadWalk
        {
            public string? Head { get; set; }
            public LayerSpec? Last { get; set; }
            public bool TrunkKnown { get; set; } = true;
            public bool AllFound { get; set; } = true;
        }
    }
}
