using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Layers
{
    /// <summary>
    /// A layer that gives the map a reference's height and width — <c>Upsample(SizeOf = …)</c> resizes to it, a padding
    /// layer's <c>SizeOf</c> pads to it: a graph edge whose reference tensor is read at run time (<c>ForwardSteps.UpsampleTo</c>,
    /// <c>ForwardSteps.PadTo</c>), the reference a tap defined before the layer or "input". The subclass names the edge's
    /// helper and arguments, its export, and what it refuses (a map larger than the one it pads to).
    /// </summary>
    internal abstract class ToReferenceSize : LayerConfig
    {
        /// <summary>The argument that names the reference, on Upsample and on the padding layers alike.</summary>
        public const string SizeOf = nameof(UpsampleAttribute.SizeOf);

        private GraphEdge? _edge;

        protected ToReferenceSize(string tap)
        {
            Tap = tap;
            ExportTap = tap;
        }

        /// <summary>The reference's name as written.</summary>
        protected string Tap { get; }

        /// <summary>The reference as the exported graph names it (a block's taps qualified by its use), set by <see cref="Resolve"/>.</summary>
        protected string ExportTap { get; private set; }

        public override GraphEdge? Graph => _edge;

        /// <summary>The edge's <c>ForwardSteps</c> helper.</summary>
        protected abstract string EdgeOp { get; }

        /// <summary>The helper's arguments after the two tensors and the dispose flags (", mode, …").</summary>
        protected abstract string EdgeArguments { get; }

        /// <summary>Why <paramref name="input"/> cannot be brought to <paramref name="reference"/>'s size (reported on SizeOf), or null.</summary>
        protected virtual string? Refusal(Shape input, Shape reference) => null;

        public override LayerShape? Resolve(LayerInput input)
        {
            if (!input.NeedsFeatureMap()) return null;
            if (Reference(input, Tap) is not { } found) return null;
            var (reference, source) = found;
            var shape = input.Shape;
            if (Refusal(shape, reference) is { } why)
            {
                input.Sink.Report(DiagnosticDescriptors.InvalidLayerArgument, input.Layer.LocationOf(SizeOf), input.Kind, input.Name, SizeOf, $"\"{Tap}\"", why);
                return null;
            }
            ExportTap = input.Taps?.Qualify(Tap) ?? Tap;
            _edge = new GraphEdge(EdgeOp, Tap, source, Arguments: EdgeArguments);
            return new LayerShape(new Shape(shape.Channels, reference.Height, reference.Width), shape.Channels, shape.Channels);
        }

        public override string Construct(string inChannels, string outChannels) => "";

        /// <summary>
        /// The map <c>SizeOf</c> names: a tap defined before the layer, or "input" (the
        /// model's, in a block the block's) where no tap has that name, with the layer that produced it; null with the diagnostic.
        /// </summary>
        private static (Shape Shape, string Source)? Reference(LayerInput input, string tap)
        {
            var taps = input.Taps;
            Shape reference;
            string source;
            if (taps is not null && taps.TryGet(tap, out var point)) { reference = point.Shape; source = point.Source; }
            else if (tap == GraphEdge.InputTap && taps?.InputShape is { } whole) { reference = whole; source = "input"; }
            else
            {
                var known = taps?.DefinedNames.ToList() ?? new List<string>();
                input.Sink.Report(DiagnosticDescriptors.UnknownTap, input.Layer.LocationOf(SizeOf), input.Kind, input.Name, tap,
                    " (SizeOf names a [Tap] defined before it, or \"input\"" + (known.Count == 0 ? ")" : "; taps defined so far: " + string.Join(", ", known) + ")"));
                return null;
            }
            if (!reference.IsFeatureMap)
            {
                input.Sink.Report(DiagnosticDescriptors.InvalidLayerArgument, input.Layer.LocationOf(SizeOf), input.Kind, input.Name,
                    SizeOf, $"\"{tap}\"", $"its tensor is {reference}, not a C×H×W map with a height and width");
                return null;
            }
            return (reference, source);
        }
    }
}
