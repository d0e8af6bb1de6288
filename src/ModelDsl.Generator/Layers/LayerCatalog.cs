using System.Collections.Generic;

namespace ModelDsl.Generator.Layers
{
    /// <summary>
    /// Every layer family, and the kinds each one reads. Adding a layer: its attribute in
    /// src/ModelDsl.Runtime/Attributes, one <see cref="LayerFamily"/> file in this folder, one line here,
    /// tests (docs/ARCHITECTURE.md has the checklist).
    /// </summary>
    internal static class LayerCatalog
    {
        private static readonly LayerFamily[] s_families =
        {
            new ConvolutionLayers(),
            new PoolingLayers(),
            new AdaptivePoolingLayers(),
            new BatchNormLayers(),
            new FeatureNormLayers(),
            new PaddingLayers(),
            new DropoutLayers(),
            new FlattenLayer(),
            new LinearLayer(),
            new PointwiseLinearLayer(),
            new LayerScaleLayer(),
            new UpsampleLayer(),
            new ActivationLayers(),
            new PReluLayer(),
            new ChannelShuffleLayer(),
            new SoftmaxLayers(),
            new MergeLayers(),
            new ReshapeLayers(),
        };

        private static readonly Dictionary<string, LayerFamily> s_byKind = Index();

        /// <summary>The family that reads <paramref name="kind"/> (an attribute class name without "Attribute").</summary>
        public static bool TryGet(string kind, out LayerFamily family) => s_byKind.TryGetValue(kind, out family!);

        public static LayerFamily Get(string kind) => s_byKind[kind];

        private static Dictionary<string, LayerFamily> Index()
        {
            var byKind = new Dictionary<string, LayerFamily>(System.StringComparer.Ordinal);
            foreach (var family in s_families)
                foreach (var kind in family.Kinds) byKind.Add(kind, family);
            return byKind;
        }
    }
}
