using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Layers;
using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator.Shapes
{
    /// <summary>
    /// A model declared with Channels alone (fully convolutional): which input sizes it accepts per axis,
    /// decided by running its <see cref="AxisPlan"/> on every size up to <see cref="AcceptedSizes.DefaultBound"/>,
    /// and the reference size at which its layers are walked and shown. MDSL0037 when no size works.
    /// </summary>
    internal static class AnySizeAnalysis
    {
        /// <summary>The input at which to walk the net (an accepted size near 64), or null (reported) when none works.</summary>
        public static Shape? ReferenceInput(ModelSpec spec, IReadOnlyList<LayerSpec> layers, IReadOnlyList<string?> names, DiagnosticSink sink)
        {
            var plan = AxisPlan.Build(layers, names, null);
            var (heights, widths) = Sizes(plan);
            if (!Check(spec, plan, heights, widths, sink)) return null;
            foreach (var (step, layer) in plan.Flattens)
            {
                if (heights.TryConstantAt(step, out _) && widths.TryConstantAt(step, out _)) continue;
                var flatten = layers.Select((l, i) => (l, i)).FirstOrDefault(x => layer == $"{x.l.Kind} '{names[x.i]}'").l;
                sink.Report(DiagnosticDescriptors.NoAcceptedInputSize, flatten?.Location ?? spec.Location, spec.ClassName,
                    $"{layer} receives a feature map whose height and width follow the input's ({AcceptedSizes.DescribeInput(heights, widths)}), "
                    + "so what comes after it (a Linear's in_features) cannot be fixed. Add [GlobalAvgPool] or [AdaptiveAvgPool2d(h, w)] before it, or give Height and Width in [Model]");
                return null;
            }
            return new Shape(spec.Channels, AxisPlan.Reference(heights), AxisPlan.Reference(widths));
        }

        /// <summary>
        /// After the walk at the reference input: the final programs, now with the stride of every projection
        /// chosen at this place, and the sentence that says which sizes work. Null (reported) when none does.
        /// </summary>
        public static AnySizeModel? Finish(ModelSpec spec, IReadOnlyList<LayerSpec> layers, IReadOnlyList<string?> names,
            IReadOnlyList<ResolvedLayer> resolved, IReadOnlyList<int> resolvedIndex, Shape reference, Shape output, DiagnosticSink sink)
        {
            var strides = new Dictionary<int, (long H, long W)>();
            for (int k = 0; k < resolved.Count; k++)
            {
                var r = resolved[k];
                var layer = layers[resolvedIndex[k]];
                bool projectable = layer.IsBlock ? layer.Block!.IsResidual && layer.Block.Projection
                    : layer.Kind == MergeLayers.Add && layer.Bool(nameof(AddAttribute.Projection), false);
                if (!projectable) continue;
                // The tapped (or the block's input) shape: what the projection maps onto the output.
                var from = r.Graph is { Projected: true } ? r.Children[0].Input : layer.IsBlock ? r.Input : r.Output;
                bool projected = layer.IsBlock ? r.Input != r.Output : r.Graph is { Projected: true };
                strides[resolvedIndex[k]] = projected && from.IsFeatureMap && r.Output.IsFeatureMap
                    ? ProjectionShortcuts.Strides(from, r.Output)
                    : (1, 1);
            }
            var plan = AxisPlan.Build(layers, names, strides);
            var (heights, widths) = Sizes(plan);
            if (!Check(spec, plan, heights, widths, sink)) return null;
            return new AnySizeModel(plan.Height, plan.Width, AcceptedSizes.DescribeInput(heights, widths), plan.HeadEnds.ToEquatableArray(), plan.EndsFixed);
        }

        private static (AcceptedSizes Heights, AcceptedSizes Widths) Sizes(AxisPlan plan)
        {
            var heights = AcceptedSizes.Of(plan.Height);
            return (heights, plan.Width.Equals(plan.Height) ? heights : AcceptedSizes.Of(plan.Width));
        }

        private static bool Check(ModelSpec spec, AxisPlan plan, AcceptedSizes heights, AcceptedSizes widths, DiagnosticSink sink)
        {
            if (!heights.IsEmpty && !widths.IsEmpty) return true;
            sink.Report(DiagnosticDescriptors.NoAcceptedInputSize, spec.Location, spec.ClassName,
                heights.IsEmpty ? plan.Explain("height", heights) : plan.Explain("width", widths));
            return false;
        }
    }
}
