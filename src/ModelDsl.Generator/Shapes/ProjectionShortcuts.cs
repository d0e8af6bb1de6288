using System.Collections.Generic;
using ModelDsl.Generator.Layers;
using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator.Shapes
{
    /// <summary>
    /// The 1×1 projection (a convolution of stride s without bias, then a batch norm) that maps a shortcut's tensor onto the
    /// shape it is added to: an <c>Add(Projection = true)</c> (<see cref="MergeLayers"/>), a residual block's shortcut
    /// (<see cref="BlockUses"/>) and the any-size plan's strides (<see cref="AnySizeAnalysis"/>) — one stride rule for all three.
    /// </summary>
    internal static class ProjectionShortcuts
    {
        /// <summary>The stride per axis that maps <paramref name="from"/> onto <paramref name="to"/>: ⌈from / to⌉ (1 where a size is not positive).</summary>
        public static (long H, long W) Strides(Shape from, Shape to) => (CeilDiv(from.Height, to.Height), CeilDiv(from.Width, to.Width));

        /// <summary>
        /// The strides that map <paramref name="from"/> onto <paramref name="to"/>, or (with a null return) the sentence saying
        /// why no integer stride does; <paramref name="what"/> names the projection in it ("projection", "projection shortcut").
        /// </summary>
        public static string? Problem(Shape from, Shape to, string what, out long strideH, out long strideW)
        {
            (strideH, strideW) = Strides(from, to);
            return ShapeMath.ConvOut(from.Height, 1, strideH, 0, 1) == to.Height && ShapeMath.ConvOut(from.Width, 1, strideW, 0, 1) == to.Width ? null
                : $"A 1×1 {what} cannot map {from.Height}×{from.Width} onto {to.Height}×{to.Width} with an integer stride.";
        }

        /// <summary>
        /// Its conv (<paramref name="from"/> → <paramref name="to"/>'s channels at the stride) and batch norm, each resolved by its own
        /// family like any other layer, named <c>{prefix}.Conv</c> and <c>{prefix}.BatchNorm</c>, at the place of <paramref name="at"/>.
        /// </summary>
        public static List<ResolvedLayer>? Layers(LayerSpec at, string prefix, Shape from, Shape to, long strideH, long strideW, DiagnosticSink sink)
        {
            var conv = Resolve(ConvolutionLayers.Conv2d, ConvolutionLayers.ProjectionShortcut(to.Channels, strideH, strideW), at, prefix + ".Conv", from, sink);
            var norm = Resolve(BatchNormLayers.BatchNorm2d, BatchNormLayers.ProjectionShortcut(), at, prefix + ".BatchNorm", to, sink);
            return conv is null || norm is null ? null : new List<ResolvedLayer> { conv, norm };
        }

        private static ResolvedLayer? Resolve(string kind, LayerConfig config, LayerSpec at, string name, Shape input, DiagnosticSink sink)
        {
            var layer = new LayerSpec(kind, name, at.Stage, at.Location, EquatableArray<LayerArg>.Empty, null);
            return ShapeEngine.Resolve(LayerCatalog.Get(kind), config, layer, name, at.Stage, input, null, sink);
        }

        // a / b rounded up without the a + b − 1 that could pass 2^63 − 1.
        private static long CeilDiv(long a, long b) => b <= 0 ? 1 : a / b + (a % b != 0 ? 1 : 0);
    }
}
