using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator.Shapes
{
    /// <summary>
    /// What one layer does to the receptive field (<see cref="LayerConfig.Field"/>): a window per axis, or everything (past a
    /// Flatten, a Linear, a global pool). Computed where the layer is resolved, so the walk below needs no layer kinds.
    /// </summary>
    internal sealed record FieldStep(FieldWindow Height, FieldWindow Width, bool Whole = false)
    {
        public static FieldStep Unchanged { get; } = new(FieldWindow.Identity, FieldWindow.Identity);

        public static FieldStep WholeInput { get; } = new(FieldWindow.Identity, FieldWindow.Identity, Whole: true);

        /// <summary>One axis's window from its shape step: a conv or pool slides, a transposed conv spreads, an upsampling or adaptive pool resizes.</summary>
        public static FieldWindow Axis(AxisStep step, long input, long output) => step.Kind switch
        {
            AxisStep.Operation.Window => FieldWindow.Sliding(step.Kernel, step.Stride, step.Dilation),
            AxisStep.Operation.Same => FieldWindow.Sliding(step.Kernel, 1, step.Dilation),
            AxisStep.Operation.Transposed => FieldWindow.Transposed(step.Kernel, step.Stride, step.Dilation),
            AxisStep.Operation.Scale or AxisStep.Operation.Resize => FieldWindow.Resize(input, output),
            _ => FieldWindow.Identity,
        };
    }

    /// <summary>
    /// A receptive field at compile time, per axis: its size (how many input pixels one output position sees) and its jump
    /// (how far apart neighbouring positions look); <see cref="Whole"/> past a Flatten, a Linear or a global pool. The
    /// generated Summary shows it per row, <c>Layers</c> and <c>ReceptiveField</c> carry it as a runtime <c>ReceptiveField</c>.
    /// </summary>
    internal sealed record LayerField(double SizeH, double SizeW, double JumpH, double JumpW, bool Whole = false)
    {
        public static LayerField Input { get; } = new(1, 1, 1, 1);

        public static LayerField WholeInput { get; } = new(double.PositiveInfinity, double.PositiveInfinity, double.NaN, double.NaN, Whole: true);

        public LayerField Through(FieldStep step)
        {
            if (Whole || step.Whole) return WholeInput;
            double sizeH = SizeH, jumpH = JumpH, sizeW = SizeW, jumpW = JumpW;
            step.Height.Apply(ref sizeH, ref jumpH);
            step.Width.Apply(ref sizeW, ref jumpW);
            return new LayerField(sizeH, sizeW, jumpH, jumpW);
        }

        /// <summary>A merge sees what either operand sees: the larger field and the larger jump per axis.</summary>
        public static LayerField Larger(LayerField a, LayerField b)
            => a.Whole || b.Whole ? WholeInput : new LayerField(Math.Max(a.SizeH, b.SizeH), Math.Max(a.SizeW, b.SizeW), Math.Max(a.JumpH, b.JumpH), Math.Max(a.JumpW, b.JumpW));

        /// <summary>The summary's cell: "16×16 (4×4)", the size and, in parentheses, the jump; "whole input".</summary>
        public string Cell => Whole ? "whole input" : $"{N(SizeH)}×{N(SizeW)} ({N(JumpH)}×{N(JumpW)})";

        /// <summary>The runtime record in the generated tables' notation (ModelDsl.GeneratedNotation).</summary>
        public string Notation => Whole ? "ReceptiveField(Infinity, Infinity, NaN, NaN, true)"
            : $"ReceptiveField({R(SizeH)}, {R(SizeW)}, {R(JumpH)}, {R(JumpW)})";

        /// <summary>The C# expression of the runtime record, for the generated <c>ReceptiveField</c> property.</summary>
        public string Source => Whole ? "global::ModelDsl.Interop.ReceptiveField.WholeInput"
            : $"new global::ModelDsl.Interop.ReceptiveField({R(SizeH)}, {R(SizeW)}, {R(JumpH)}, {R(JumpW)})";

        private static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

        private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Every layer's receptive field, the compile-time twin of the runtime's <c>ReceptiveField.PerLayer(Graph)</c>: one walk
    /// over the resolved layers, following taps, heads and merges (a merge sees what either operand sees), each block's
    /// parts and its shortcut. Runs once the model is known to be valid.
    /// </summary>
    internal static class ReceptiveFields
    {
        /// <summary>The layers with their fields set; <paramref name="output"/>: the model's (the last head's, with heads).</summary>
        public static List<ResolvedLayer> Annotate(IReadOnlyList<ResolvedLayer> layers, out LayerField output)
            => Walk(layers, LayerField.Input, out output);

        private static List<ResolvedLayer> Walk(IReadOnlyList<ResolvedLayer> layers, LayerField input, out LayerField output)
        {
            var taps = new Dictionary<string, LayerField>(StringComparer.Ordinal) { [GraphEdge.InputTap] = input };
            var current = input;
            var result = new List<ResolvedLayer>(layers.Count);
            LayerField Tapped(string tap) => taps.TryGetValue(tap, out var f) ? f : current;
            foreach (var layer in layers)
            {
                var children = layer.Children;
                switch (layer.Graph?.Op)
                {
                    case GraphEdge.TapOp or GraphEdge.ChunkOp:
                        taps[layer.Graph.Tap] = current;
                        break;
                    case GraphEdge.FromOp or GraphEdge.HeadOp:
                        current = Tapped(layer.Graph.Tap);
                        break;
                    case GraphEdge.AddOp or GraphEdge.ConcatOp or GraphEdge.MultiplyOp:
                        var other = Tapped(layer.Graph.Tap);
                        if (layer.Graph.Projected) children = Chain(children, ref other); // the projection acts on the tapped operand
                        current = LayerField.Larger(current, other);
                        break;
                    default:
                        if (layer.IsBlock) children = Block(layer, ref current);
                        else current = current.Through(layer.FieldStep ?? FieldStep.Unchanged);
                        break;
                }
                result.Add(layer with { Field = current, Children = children });
            }
            output = current;
            return result;
        }

        /// <summary>A block's parts walked from its input; a residual block adds its input (through its shortcut): the larger field of the two.</summary>
        private static EquatableArray<ResolvedLayer> Block(ResolvedLayer block, ref LayerField current)
        {
            var input = current;
            var body = block.Children.Where(c => !c.IsShortcut).ToList();
            var parts = Walk(body, input, out var output);
            if (block.Residual)
            {
                var shortcut = input;
                parts.AddRange(Chain(block.Children.Where(c => c.IsShortcut).ToEquatableArray(), ref shortcut));
                output = LayerField.Larger(output, shortcut);
            }
            current = output;
            return parts.ToEquatableArray();
        }

        /// <summary>Layers applied one after another to <paramref name="field"/> (a projection: conv, batch norm).</summary>
        private static EquatableArray<ResolvedLayer> Chain(EquatableArray<ResolvedLayer> layers, ref LayerField field)
        {
            var result = new List<ResolvedLayer>();
            foreach (var layer in layers)
            {
                field = field.Through(layer.FieldStep ?? FieldStep.Unchanged);
                result.Add(layer with { Field = field });
            }
            return result.ToEquatableArray();
        }
    }
}
