using System.Collections.Generic;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;
using static ModelDsl.Generator.Layers.Code;

namespace ModelDsl.Generator.Layers
{
    /// <summary>
    /// <c>nn.ZeroPad2d</c>, <c>nn.ConstantPad2d</c>, <c>nn.ReflectionPad2d</c>, <c>nn.ReplicationPad2d</c>: H + top + bottom,
    /// W + left + right. Sides are non-negative (PyTorch's negative padding crops; not offered). Reflection needs every
    /// side smaller than its axis, as PyTorch checks.
    /// </summary>
    internal sealed class PaddingLayers : LayerFamily
    {
        public static readonly string ZeroPad2d = KindOf(nameof(ZeroPad2dAttribute));
        public static readonly string ConstantPad2d = KindOf(nameof(ConstantPad2dAttribute));
        public static readonly string ReflectionPad2d = KindOf(nameof(ReflectionPad2dAttribute));
        public static readonly string ReplicationPad2d = KindOf(nameof(ReplicationPad2dAttribute));

        public override IReadOnlyList<string> Kinds { get; } = new[] { ZeroPad2d, ConstantPad2d, ReflectionPad2d, ReplicationPad2d };

        public override string NamePrefix(string kind) => kind.Substring(0, kind.Length - "2d".Length); // ZeroPad1, ReflectionPad1

        /// <summary>The padding mode ForwardSteps.PadTo, ONNX's Pad and F.pad take for <paramref name="kind"/>.</summary>
        public static string Mode(string kind) => kind == ZeroPad2d || kind == ConstantPad2d ? "constant" : kind == ReflectionPad2d ? "reflect" : "replicate";

        public override LayerConfig? Read(LayerSpec layer, string name, DiagnosticSink sink)
        {
            if (layer.Arg(nameof(PaddingLayerAttribute.SizeOf)) is { } sizeOf)
            {
                var sides = new[] { nameof(PaddingLayerAttribute.Padding), nameof(PaddingLayerAttribute.Left), nameof(PaddingLayerAttribute.Right), nameof(PaddingLayerAttribute.Top), nameof(PaddingLayerAttribute.Bottom) };
                if (System.Linq.Enumerable.FirstOrDefault(sides, layer.Has) is { } side)
                {
                    ArgumentChecks.Invalid(layer, name, nameof(PaddingLayerAttribute.SizeOf), $"\"{sizeOf.Text}\"", $"give {nameof(PaddingLayerAttribute.SizeOf)} alone: with it the sides follow the reference, so {side} has no meaning", sink);
                    return null;
                }
                return new PadTo(layer.Kind, sizeOf.Text ?? "", layer.Real(nameof(ConstantPad2dAttribute.Value), 0));
            }
            long all = layer.Int(nameof(PaddingLayerAttribute.Padding), 0);
            long Side(string property) => layer.Has(property) ? layer.Int(property, 0) : all;
            bool ok = true;
            foreach (var property in new[] { nameof(PaddingLayerAttribute.Padding), nameof(PaddingLayerAttribute.Left), nameof(PaddingLayerAttribute.Right), nameof(PaddingLayerAttribute.Top), nameof(PaddingLayerAttribute.Bottom) })
                if (layer.Has(property) && layer.Int(property, 0) < 0)
                {
                    ArgumentChecks.Invalid(layer, name, property, layer.Int(property, 0), "it must be ≥ 0 (PyTorch's negative padding crops; use a crop for that)", sink);
                    ok = false;
                }
            if (!ok) return null;
            return new Pad(layer.Kind, Side(nameof(PaddingLayerAttribute.Left)), Side(nameof(PaddingLayerAttribute.Right)), Side(nameof(PaddingLayerAttribute.Top)),
                Side(nameof(PaddingLayerAttribute.Bottom)), layer.Real(nameof(ConstantPad2dAttribute.Value), 0));
        }

        /// <summary>
        /// Pad to a reference's height and width (<c>SizeOf = "skip"</c>): the U-Net pad-to-match, a graph edge read at run time
        /// (<c>ForwardSteps.PadTo</c>, ONNX Pad by Shape differences, <c>F.pad</c> in the twin), like Upsample(SizeOf = …).
        /// </summary>
        private sealed class PadTo : ToReferenceSize
        {
            private readonly string _kind;
            private readonly double _value;

            public PadTo(string kind, string tap, double value) : base(tap)
            {
                _kind = kind;
                _value = value;
            }

            protected override string EdgeOp => GraphEdge.PadToOp;

            protected override string EdgeArguments => $", \"{Mode(_kind)}\", {Double(_value)}";

            protected override string? Refusal(Shape input, Shape reference)
                => input.Height > reference.Height || input.Width > reference.Width
                    ? $"its input {input} is larger than '{Tap}' ({reference.Height}×{reference.Width}): padding only grows a map; resize with Upsample(SizeOf = \"{Tap}\") or crop before"
                    : _kind == ReflectionPad2d && ((reference.Height - input.Height + 1) / 2 >= input.Height || (reference.Width - input.Width + 1) / 2 >= input.Width)
                    ? $"reflecting {input} up to {reference.Height}×{reference.Width} needs a side larger than the input's axis"
                    : null;

            public override string Export(long inChannels, long outChannels)
                => Notation.Record("PadToOp", Notation.Text(ExportTap), Notation.Text(Mode(_kind)), Double(_value));

            public override string Describe(string inChannels, string outChannels)
                => $"F.pad(x, to {Tap}.shape[-2:], mode='{Mode(_kind)}'{(_kind == ConstantPad2d ? $", value={Double(_value)}" : "")})";
        }

        private sealed class Pad : LayerConfig
        {
            private readonly string _kind;
            private readonly long _left, _right, _top, _bottom;
            private readonly double _value;

            public Pad(string kind, long left, long right, long top, long bottom, double value)
            {
                _kind = kind;
                (_left, _right, _top, _bottom, _value) = (left, right, top, bottom, value);
            }

            private bool Reflects => _kind == ReflectionPad2d;

            public override LayerShape? Resolve(LayerInput input)
            {
                if (!input.NeedsFeatureMap()) return null;
                var shape = input.Shape;
                if (Reflects && (System.Math.Max(_top, _bottom) >= shape.Height || System.Math.Max(_left, _right) >= shape.Width))
                {
                    input.Sink.Report(DiagnosticDescriptors.InvalidLayerArgument, input.Layer.Location, input.Kind, input.Name, "padding",
                        $"({_left}, {_right}, {_top}, {_bottom})", $"reflection needs every side smaller than the input's size on its axis (input {shape})");
                    return null;
                }
                long h = Counts.Sum("its output height", Counts.Sum("its output height", shape.Height, _top), _bottom);
                long w = Counts.Sum("its output width", Counts.Sum("its output width", shape.Width, _left), _right);
                return new LayerShape(new Shape(shape.Channels, h, w), shape.Channels, shape.Channels);
            }

            // A pad of (a, b) on an axis is the window step kernel 2·max(a, b) − (a + b) + 1, stride 1, padding max(a, b):
            // its output is n + a + b, and its padding rule checks max(a, b) — exactly what reflection demands.
            /// <summary>Padding adds border pixels but moves no window: the field stays (the axis step above is a shape device only).</summary>
            public override FieldStep Field(Shape input, Shape output) => FieldStep.Unchanged;

            public override bool TryAxisSteps(out AxisStep height, out AxisStep width)
            {
                var rule = Reflects ? AxisStep.PaddingRule.LessThanInput : AxisStep.PaddingRule.Any;
                height = Step(_top, _bottom, rule);
                width = Step(_left, _right, rule);
                return true;
            }

            private static AxisStep Step(long before, long after, AxisStep.PaddingRule rule)
            {
                long most = System.Math.Max(before, after);
                return AxisStep.Window(2 * most - (before + after) + 1, 1, most, 1, rule: rule);
            }

            private string Tuple4 => $"({Long(_left)}, {Long(_right)}, {Long(_top)}, {Long(_bottom)})";

            public override string Construct(string inChannels, string outChannels)
                => _kind == ConstantPad2d ? $"{Nn}ConstantPad2d({Tuple4}, {Double(_value)})" : $"{Nn}{_kind}({Tuple4})";

            public override string Export(long inChannels, long outChannels)
                => Notation.Record("PadOp", Notation.Text(_kind == ZeroPad2d || _kind == ConstantPad2d ? "constant" : Reflects ? "reflect" : "replicate"),
                    Long(_left), Long(_right), Long(_top), Long(_bottom), Double(_value));

            public override string Describe(string inChannels, string outChannels)
                => _kind == ConstantPad2d ? $"ConstantPad2d(padding={Tuple4}, value={Double(_value)})" : $"{_kind}({Tuple4})";
        }
    }
}
