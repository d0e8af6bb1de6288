using System.Globalization;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Layers;
using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator.Shapes
{
    /// <summary>
    /// One part of a [Chunk("a", "b", …)] at its place in a model or block: the tap of part <c>Index</c> of <c>Parts</c> equal
    /// slices of the current tensor's channels (<c>x.chunk(n, dim=1)[i]</c>). The chain's own tensor is unchanged.
    /// </summary>
    internal static class ChunkParts
    {
        public static long Index(LayerSpec part) => part.Int("Index", 0);

        public static long Parts(LayerSpec part) => part.Int("Parts", 2);

        /// <summary>The part's node (its output is the part's shape), with the tap defined; null with MDSL0007 (on the first part) when the channels do not divide.</summary>
        public static ResolvedLayer? Resolve(LayerSpec part, string nodeName, string? stage, Shape current, TapScope taps, DiagnosticSink sink)
        {
            string tap = part.Name ?? "";
            long index = Index(part), parts = Parts(part);
            if (!current.IsFeatureMap || current.Channels % parts != 0)
            {
                if (index == 0)
                    sink.AtInput.Report(DiagnosticDescriptors.InvalidLayerArgument, part.Location, "Chunk", $"Chunk(\"{tap}\", …)", "taps", parts.ToString(CultureInfo.InvariantCulture),
                        current.IsFeatureMap ? $"its input {current} has {current.Channels} channels, which do not split into {parts} equal parts"
                            : $"its input {current} is no C×H×W map with channels to split");
                return null;
            }
            var shape = new Shape(current.Channels / parts, current.Height, current.Width);
            if (!taps.TryGet(tap, out _)) taps.Define(tap, shape);
            string arguments = $"{index.ToString(CultureInfo.InvariantCulture)}, {parts.ToString(CultureInfo.InvariantCulture)}";
            return new ResolvedLayer(nodeName, GraphEdge.ChunkOp, stage, current, shape, 0, 0,
                LayerCode.None($"x.chunk({parts}, dim=1)[{index}] as \"{tap}\"", Notation.Record("ChunkOp", Notation.Text(taps.Qualify(tap)), Code.Long(index), Code.Long(parts))),
                EquatableArray<ResolvedLayer>.Empty, new GraphEdge(GraphEdge.ChunkOp, tap, taps.CurrentSource, Arguments: ", " + arguments));
        }
    }
}
