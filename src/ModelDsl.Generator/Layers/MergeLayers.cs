using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Layers
{
    /// <summary>
    /// Add, Concat and Multiply: merge a tapped tensor back into the chain (<c>x + tap</c>, <c>torch.cat([x, tap], 1)</c>,
    /// <c>x * tap</c>). Every merge is checked where it stands: the tap must be defined before it, Add needs equal shapes
    /// (or a projection that maps the tap onto the current shape), Concat equal heights and widths, Multiply shapes that
    /// broadcast (per axis equal or one of them 1).
    /// </summary>
    internal sealed class MergeLayers : LayerFamily
    {
        public static readonly string Add = KindOf(nameof(AddAttribute));
        public static readonly string Concat = KindOf(nameof(ConcatAttribute));
        public static readonly string Multiply = KindOf(nameof(MultiplyAttribute));

        public override IReadOnlyList<string> Kinds { get; } = new[] { Add, Concat, Multiply };

        /// <summary>True for Add, Concat and Multiply.</summary>
        public static bool IsMerge(string kind) => kind == Add || kind == Concat || kind == Multiply;

        public override string NamePrefix(string kind) => kind;

        public override string TypeName(string kind) => "global::TorchSharp.Modules.Sequential";

        // A block may merge its own taps (a graph block: squeeze-excitation, Fire, an inverted residual's skip).

        public override LayerConfig? Read(LayerSpec layer, string name, DiagnosticSink sink)
        {
            string tap = layer.Arg(nameof(AddAttribute.Tap))?.Text ?? "";
            if (tap.Length == 0)
            {
                ArgumentChecks.Invalid(layer, name, nameof(AddAttribute.Tap), "\"\"", "name the [Tap] to merge, e.g. [" + layer.Kind + "(\"skip1\")]", sink);
                return null;
            }
            bool tapFirst = layer.Kind == Concat && layer.Arg(nameof(ConcatAttribute.Order))?.Text == nameof(ConcatOrder.TapFirst);
            return new Merge(layer.Kind, tap, layer.Bool(nameof(AddAttribute.Projection), false), tapFirst);
        }

        private sealed class Merge : LayerConfig
        {
            private readonly string _kind;
            private readonly bool _add;
            private readonly string _tap;
            private readonly bool _projection;
            /// <summary>A Concat that puts the tapped channels first.</summary>
            private readonly bool _tapFirst;
            private GraphEdge? _edge;
            /// <summary>The tap's name in the exported graph (qualified inside a block use).</summary>
            private string _exportTap;
            private List<ResolvedLayer> _children = new();

            public Merge(string kind, string tap, bool projection, bool tapFirst)
            {
                _kind = kind;
                _add = kind == Add;
                _tap = tap;
                _projection = projection;
                _tapFirst = tapFirst;
                _exportTap = tap;
            }

            private string Op => _add ? GraphEdge.AddOp : _kind == Multiply ? GraphEdge.MultiplyOp : GraphEdge.ConcatOp;

            public override GraphEdge? Graph => _edge;

            public override IReadOnlyList<ResolvedLayer> Children => _children;

            public override LayerShape? Resolve(LayerInput input)
            {
                var taps = input.Taps;
                if (taps is null || !taps.TryGet(_tap, out var tap))
                {
                    var location = input.Layer.LocationOf(nameof(AddAttribute.Tap));
                    if (taps?.OfEarlierHead(_tap) is { } other)
                        input.Sink.Report(DiagnosticDescriptors.UnknownTap, location, input.Kind, input.Name, _tap,
                            $" here: it belongs to head '{other.Head}', and a head sees only the trunk's taps and its own");
                    else if (taps is not null && taps.IsDeclared(_tap))
                        input.Sink.Report(DiagnosticDescriptors.TapUsedBeforeDefined, location, input.Kind, input.Name, _tap);
                    else
                    {
                        var known = taps?.DefinedNames.ToList() ?? new List<string>();
                        input.Sink.Report(DiagnosticDescriptors.UnknownTap, location, input.Kind, input.Name, _tap,
                            known.Count == 0 ? "; add [Tap(\"" + _tap + "\")] after the layer whose output you want to merge" : " (taps defined so far: " + string.Join(", ", known) + ")");
                    }
                    return null;
                }
                var current = input.Shape;
                _exportTap = taps.Qualify(_tap);
                if (_kind == Multiply) return Broadcast(input, current, tap);
                if (!_add)
                {
                    if (!current.IsFeatureMap || !tap.Shape.IsFeatureMap || current.Height != tap.Shape.Height || current.Width != tap.Shape.Width)
                    {
                        // {6}: ShapeEngine adds why, when the cause is the model's input size.
                        input.Sink.Report(DiagnosticDescriptors.ConcatSizeMismatch, input.Layer.Location, input.Name, current.ToString(), input.Source, tap.Shape.ToString(), _tap, tap.Source, "");
                        return null;
                    }
                    _edge = new GraphEdge(Op, _tap, tap.Source, TapFirst: _tapFirst);
                    long channels = current.Channels + tap.Shape.Channels;
                    return new LayerShape(new Shape(channels, current.Height, current.Width), current.Channels, channels);
                }

                if (current == tap.Shape)
                {
                    _edge = new GraphEdge(Op, _tap, tap.Source);
                    return LayerShape.Preserving(current);
                }
                string? problem = null;
                long strideH = 1, strideW = 1;
                if (!_projection) problem = "Keep the shapes equal, or set Projection = true for a 1×1 convolution + BatchNorm2d on the tapped tensor.";
                else if (!current.IsFeatureMap || !tap.Shape.IsFeatureMap) problem = "A projection maps feature maps only.";
                else problem = ProjectionShortcuts.Problem(tap.Shape, current, "projection", out strideH, out strideW);
                if (problem is not null)
                {
                    input.Sink.Report(DiagnosticDescriptors.AddShapeMismatch, input.Layer.Location, input.Name, tap.Shape.ToString(), _tap, tap.Source, current.ToString(), input.Source, problem);
                    return null;
                }
                _edge = new GraphEdge(Op, _tap, tap.Source, Projected: true);
                // A projection too large to count (its conv past 2^63 − 1 parameters) is reported by its own layer: no merge then.
                if (ProjectionShortcuts.Layers(input.Layer, input.Name, tap.Shape, current, strideH, strideW, input.Sink) is not { } projection) return null;
                _children = projection;
                return new LayerShape(current, tap.Shape.Channels, current.Channels, _children.Sum(c => c.Parameters), _children.Sum(c => c.MultiplyAdds));
            }

            /// <summary>PyTorch's broadcasting of two per-sample shapes of one rank: per axis equal, or a 1 stretched to the other.</summary>
            private LayerShape? Broadcast(LayerInput input, Shape current, TapPoint tap)
            {
                var a = current.ToArray();
                var b = tap.Shape.ToArray();
                string Axes(int n) => n == 1 ? "1 axis" : $"{n} axes";
                string? why = a.Length != b.Length ? $"{current} has {Axes(a.Length)} and {tap.Shape} has {Axes(b.Length)}"
                    : Enumerable.Range(0, a.Length).Where(i => a[i] != b[i] && a[i] != 1 && b[i] != 1)
                        .Select(i => $"axis {i} has {a[i]} and {b[i]}").FirstOrDefault();
                if (why is not null)
                {
                    input.Sink.Report(DiagnosticDescriptors.MultiplyShapeMismatch, input.Layer.Location, input.Name, current.ToString(), input.Source, tap.Shape.ToString(), _tap, tap.Source, why);
                    return null;
                }
                _edge = new GraphEdge(Op, _tap, tap.Source);
                var output = Shape.Of(Enumerable.Range(0, a.Length).Select(i => System.Math.Max(a[i], b[i])).ToArray());
                long channels = output.IsFlat ? output.Features : output[0];
                return new LayerShape(output, channels, channels);
            }

            /// <summary>
            /// After a merge error: the chain's shape (Add, Multiply: what the merge was written to keep) or, for a Concat whose
            /// tap is known, both channel counts at the chain's size — the shape the decoder after a misaligned skip expects.
            /// </summary>
            public override Shape? OutputDespiteError(Shape input, TapScope? taps)
            {
                if (_kind != Concat) return input;
                return input.IsFeatureMap && taps is not null && taps.TryGet(_tap, out var tap) && tap.Shape.IsFeatureMap
                    ? new Shape(input.Channels + tap.Shape.Channels, input.Height, input.Width)
                    : null;
            }

            // With a projection the merge's module is a Sequential of its conv and batch norm; else it has none.
            public override string Construct(string inChannels, string outChannels)
                => _children.Count == 0 ? ""
                    : Code.ProjectionSequential(_children[0].Code.Construction, _children[1].Code.Construction);

            public override string Export(long inChannels, long outChannels)
                => _add ? Notation.Record("AddOp", Notation.Text(_exportTap), Code.Bool(_children.Count > 0))
                 : _kind == Multiply ? Notation.Record("MultiplyOp", Notation.Text(_exportTap))
                 : Notation.Record("ConcatOp", Notation.Text(_exportTap), Code.Bool(_tapFirst));

            public override string Describe(string inChannels, string outChannels)
                => _add
                    ? (_children.Count == 0 ? $"x + {_tap}" : $"x + BatchNorm2d(Conv2d({_tap}, 1×1))")
                    : _kind == Multiply ? $"x * {_tap}" : _tapFirst ? $"torch.cat([{_tap}, x], dim=1)" : $"torch.cat([x, {_tap}], dim=1)";
        }
    }
}
