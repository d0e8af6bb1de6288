using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Layers;
using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator.Shapes
{
    /// <summary>
    /// A net of any input size as two <see cref="AxisProgram"/>s (height and width), built from its layers,
    /// taps, merges, block uses and heads (each resumes from its tap), with the layer behind every step so that a
    /// message can name it. A branch's spatial axes end at a Flatten (<see cref="Flattens"/>): from there on sizes
    /// must no longer depend on the input.
    /// </summary>
    internal sealed class AxisPlan
    {
        private AxisPlan(AxisProgram height, AxisProgram width, IReadOnlyList<string> owners, IReadOnlyList<(int Step, string Layer)> flattens, IReadOnlyList<int> headEnds, bool endsFixed)
        {
            Height = height; Width = width; Owners = owners; Flattens = flattens; HeadEnds = headEnds; EndsFixed = endsFixed;
        }

        /// <summary>True when the last branch ends after a Flatten, Reshape or Permute: its output does not follow the input size.</summary>
        public bool EndsFixed { get; }

        public AxisProgram Height { get; }
        public AxisProgram Width { get; }

        /// <summary>"Conv2d 'Conv3'" for each step (the same for both axes).</summary>
        public IReadOnlyList<string> Owners { get; }

        /// <summary>Each Flatten on a size that follows the input: the step whose output it flattens (-1: the input itself) and its layer ("Flatten 'Flatten1'"; a Reshape or Permute counts as one).</summary>
        public IReadOnlyList<(int Step, string Layer)> Flattens { get; }

        /// <summary>Per head, the last step of its branch, or <see cref="AnySizeModel.FixedSize"/> after a Flatten.</summary>
        public IReadOnlyList<int> HeadEnds { get; }

        /// <summary>
        /// Builds the programs. <paramref name="projectionStrides"/> gives, per layer index, the stride of the
        /// projection an Add or a residual block uses at this place (known once the net is resolved at one
        /// size); without it, projected merges add no constraint yet.
        /// </summary>
        public static AxisPlan Build(IReadOnlyList<LayerSpec> layers, IReadOnlyList<string?> names, IReadOnlyDictionary<int, (long H, long W)>? projectionStrides)
        {
            var h = new List<AxisStep>();
            var w = new List<AxisStep>();
            var owners = new List<string>();
            var taps = new Dictionary<string, int>(StringComparer.Ordinal);
            var flattens = new List<(int, string)>();
            var headEnds = new List<int>();
            // After a Flatten the sizes no longer follow the input: the branch adds no steps until a head resumes.
            bool fixedSize = false, inHead = false;
            const int FixedTap = -2;
            void Add(AxisStep sh, AxisStep sw, string owner) { h.Add(sh); w.Add(sw); owners.Add(owner); }
            // A tap names the size after the last step (-1 would be the input: a Tap step marks it explicitly).
            int Mark(string owner) { Add(AxisStep.Tap(), AxisStep.Tap(), owner); return h.Count - 1; }

            for (int i = 0; i < layers.Count; i++)
            {
                var layer = layers[i];
                string name = names[i] ?? "";
                if (layer.IsHead)
                {
                    if (inHead) headEnds.Add(fixedSize ? AnySizeModel.FixedSize : h.Count - 1);
                    inHead = true;
                    // An unknown tap is reported by the shape walk; the head then adds no steps.
                    fixedSize = !taps.TryGetValue(layer.Arg(nameof(HeadAttribute.From))?.Text ?? "", out int from) || from == FixedTap;
                    if (!fixedSize) Add(AxisStep.Resume(from), AxisStep.Resume(from), $"Head '{layer.Name}'");
                    continue;
                }
                if (layer.IsFrom)
                {
                    // A branch restarts from its tap: the sizes follow it again if the tap's do (as a head).
                    fixedSize = !taps.TryGetValue(layer.Name ?? "", out int start) || start == FixedTap;
                    if (!fixedSize) Add(AxisStep.Resume(start), AxisStep.Resume(start), $"From '{layer.Name}'");
                    continue;
                }
                if (layer.DefinesTap)
                {
                    string tap = layer.Name ?? "";
                    if (!taps.ContainsKey(tap)) taps[tap] = fixedSize ? FixedTap : Mark($"Tap '{tap}'");
                    continue;
                }
                if (fixedSize) continue;
                // Reshape and Permute fix every dimension too (their output shape is a constant), so they end the axes as Flatten does.
                if (layer.Kind == Layers.FlattenLayer.Flatten || layer.Kind == ReshapeLayers.Reshape || layer.Kind == ReshapeLayers.Permute)
                {
                    flattens.Add((h.Count - 1, $"{layer.Kind} '{name}'"));
                    fixedSize = true;
                    continue;
                }
                if (layer.IsBlock)
                {
                    Block(layer.Block!, name, i, layer.Arg(nameof(UseAttribute<object>.Args))?.Text, new Dictionary<string, long>(StringComparer.Ordinal));
                    continue;
                }
                if (!LayerCatalog.TryGet(layer.Kind, out var family)) continue;
                if (layer.Arg(nameof(UpsampleAttribute.SizeOf))?.Text is { } sizeOf)
                {
                    // The size becomes the reference's: a tap's step, or the input (-1) where no tap is called "input".
                    int at = taps.TryGetValue(sizeOf, out int t) ? t : sizeOf == GraphEdge.InputTap ? -1 : int.MinValue;
                    if (at != int.MinValue && at != FixedTap) Add(AxisStep.Resume(at), AxisStep.Resume(at), $"Upsample '{name}'");
                    continue;
                }
                if (family is MergeLayers)
                {
                    string tap = layer.Arg(nameof(AddAttribute.Tap))?.Text ?? "";
                    bool projection = layer.Kind == MergeLayers.Add && layer.Bool(nameof(AddAttribute.Projection), false);
                    if (!taps.TryGetValue(tap, out int at)) continue;
                    if (layer.Kind == MergeLayers.Multiply) Add(AxisStep.Broadcast(at), AxisStep.Broadcast(at), $"{layer.Kind} '{name}'");
                    else Merge(at, i, projection, $"{layer.Kind} '{name}'");
                    continue;
                }
                if (family.Read(layer, name, Quiet) is { } config && config.TryAxisSteps(out var sh, out var sw))
                    Add(sh, sw, $"{layer.Kind} '{name}'");
            }
            if (inHead) headEnds.Add(fixedSize ? AnySizeModel.FixedSize : h.Count - 1);
            return new AxisPlan(new AxisProgram(h.ToArray()), new AxisProgram(w.ToArray()), owners, flattens, headEnds, fixedSize);

            // A block use: its layers' steps, its own taps, From and merges (a graph block), the blocks in it, then its residual.
            // index: the model layer whose projection stride is known (-1 inside a block: a nested projection adds no constraint yet).
            // A parameterised block's spatial arguments come from its use's values. In (the channels) is not known here: 1 stands in,
            // which leaves a kernel, stride, padding or dilation alone (they may not use In) and lets the layer be read for its
            // steps (Groups = "In"); a condition over In may then read wrong, which only adds or drops a merge constraint — the
            // walk at the reference size checks the use as it is.
            void Block(BlockSpec block, string use, int index, string? args, IReadOnlyDictionary<string, long> enclosing)
            {
                int start = Mark($"Use<{block.TypeName}> '{use}'");
                var own = new Dictionary<string, int>(StringComparer.Ordinal);
                var scope = BlockParameters.Bind(block, args, 1, enclosing, out _) ?? new Dictionary<string, long>(StringComparer.Ordinal) { [BlockParameters.In] = 1 };
                foreach (var written in block.Layers)
                {
                    if (BlockParameters.Substitute(written, scope, out _) is not { } inner) continue;
                    // A piece absent at this use adds no step; a condition that needs In (not known here) counts as absent: the
                    // walk at the reference size checks the use as it is.
                    if (inner.Arg(BlockAnalyzer.When)?.Text is { } when && !(BlockExpression.TryEvaluate(when, scope, out long on, out _) && on != 0)) continue;
                    if (inner.DefinesTap) { own[inner.Name ?? ""] = Mark($"Tap '{inner.Name}' in '{use}'"); continue; }
                    if (inner.IsFrom)
                    {
                        if (own.TryGetValue(inner.Name ?? "", out int from)) Add(AxisStep.Resume(from), AxisStep.Resume(from), $"From '{inner.Name}' in '{use}'");
                        continue;
                    }
                    if (inner.IsBlock) { Block(inner.Block!, $"{use}.{inner.Block!.TypeName}", -1, inner.Arg(nameof(UseAttribute<object>.Args))?.Text, scope); continue; }
                    if (!LayerCatalog.TryGet(inner.Kind, out var f)) continue;
                    if (inner.Arg(nameof(UpsampleAttribute.SizeOf))?.Text is { } innerSizeOf)
                    {
                        // In a block, "input" is the block's input: the use's own mark.
                        int at = own.TryGetValue(innerSizeOf, out int t) ? t : innerSizeOf == GraphEdge.InputTap ? start : int.MinValue;
                        if (at != int.MinValue) Add(AxisStep.Resume(at), AxisStep.Resume(at), $"Upsample in '{use}'");
                        continue;
                    }
                    if (f is MergeLayers)
                    {
                        if (!own.TryGetValue(inner.Arg(nameof(AddAttribute.Tap))?.Text ?? "", out int at)) continue;
                        if (inner.Kind == MergeLayers.Multiply) Add(AxisStep.Broadcast(at), AxisStep.Broadcast(at), $"{inner.Kind} in '{use}'");
                        else Merge(at, -1, inner.Kind == MergeLayers.Add && inner.Bool(nameof(AddAttribute.Projection), false), $"{inner.Kind} in '{use}'");
                        continue;
                    }
                    if (f.Read(inner, use, Quiet) is { } c && c.TryAxisSteps(out var ih, out var iw)) Add(ih, iw, $"{inner.Kind} in '{use}'");
                }
                if (block.IsResidual) Merge(start, index, block.Projection, $"the residual of '{use}'");
            }

            void Merge(int at, int index, bool projection, string owner)
            {
                if (!projection) Add(AxisStep.Merge(at), AxisStep.Merge(at), owner);
                else if (projectionStrides is not null && projectionStrides.TryGetValue(index, out var s))
                    Add(AxisStep.Project(at, s.H), AxisStep.Project(at, s.W), owner);
            }
        }

        // Argument errors are reported by the shape walk; building the programs reads the layers again silently.
        private static DiagnosticSink Quiet => new(new List<Diagnostics.DiagnosticInfo>());

        /// <summary>Why an axis accepts no size, in words: the layer that rejects the size that gets furthest.</summary>
        public string Explain(string axis, AcceptedSizes sizes)
        {
            var failure = sizes.TypicalFailure();
            if (failure is null) return "";
            string owner = failure.Step >= 0 && failure.Step < Owners.Count ? Owners[failure.Step] : "the input";
            return failure.Why switch
            {
                AxisFailure.Reason.Mismatch => $"{owner} needs the {axis} it receives ({failure.Input}) to equal the tapped one ({failure.Reference}), which no input {axis} gives (at most {Bound(sizes)} tried)",
                AxisFailure.Reason.PaddingTooLarge => $"{owner} pads more than its input {axis} ({failure.Input}) for every input up to {Bound(sizes)}",
                AxisFailure.Reason.Overflow => $"{owner} would make the {axis} larger than a tensor can be",
                _ => $"{owner} turns every {axis} up to {Bound(sizes)} into nothing (at best {failure.Input} → {failure.Output})",
            };
        }

        private static string Bound(AcceptedSizes sizes) => sizes.Bound.ToString(System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>The accepted size nearest to 64 from above (else the largest), at which the net's layers are shown.</summary>
        public static long Reference(AcceptedSizes sizes)
        {
            foreach (long n in sizes.Sizes) if (n >= 64) return n;
            return sizes.Sizes[sizes.Sizes.Count - 1];
        }
    }
}
