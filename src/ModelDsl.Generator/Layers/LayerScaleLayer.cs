using System.Collections.Generic;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;
using static ModelDsl.Generator.Layers.Code;

namespace ModelDsl.Generator.Layers
{
    /// <summary>
    /// ConvNeXt's layer scale: a learnt C×1×1 multiplier, shape-preserving, C parameters. Its parameter is saved under the
    /// layer's own key (torchvision's <c>layer_scale</c>), so the generated class holding one names it so in
    /// <c>named_parameters</c> too (<see cref="IsLayerScale"/>).
    /// </summary>
    internal sealed class LayerScaleLayer : LayerFamily
    {
        public static readonly string LayerScale = KindOf(nameof(LayerScaleAttribute));
        public const string ModuleType = "global::ModelDsl.LayerScale";
        private static readonly LayerScaleAttribute Defaults = new();

        public override IReadOnlyList<string> Kinds { get; } = new[] { LayerScale };

        public override string NamePrefix(string kind) => "LayerScale";

        public override string TypeName(string kind) => ModuleType;

        /// <summary>Whether a generated member of <paramref name="typeName"/> is a LayerScale (its holder renames its parameter).</summary>
        public static bool IsLayerScale(string typeName) => typeName == ModuleType;

        public override LayerConfig? Read(LayerSpec layer, string name, DiagnosticSink sink)
        {
            double init = layer.Real(nameof(LayerScaleAttribute.Init), Defaults.Init);
            if (double.IsNaN(init) || double.IsInfinity(init))
            {
                ArgumentChecks.Invalid(layer, name, nameof(LayerScaleAttribute.Init), init, "the initial scale must be a finite number", sink);
                return null;
            }
            return new Config(init);
        }

        private sealed class Config : LayerConfig
        {
            private readonly double _init;

            public Config(double init) => _init = init;

            public override LayerShape? Resolve(LayerInput input)
            {
                if (!input.NeedsFeatureMap()) return null;
                long c = input.Shape.Channels;
                return new LayerShape(input.Shape, c, c, c, Counts.Product("its multiply-adds", c, Counts.Product("its multiply-adds", input.Shape.Height, input.Shape.Width)));
            }

            public override Shape? OutputDespiteError(Shape input, TapScope? taps) => input.IsFeatureMap ? input : null;

            public override string Construct(string inChannels, string outChannels) => $"new {ModuleType}({inChannels}, {Double(_init)})";

            public override string Export(long inChannels, long outChannels) => Notation.Record("LayerScaleOp", Long(inChannels));

            public override string Describe(string inChannels, string outChannels) => $"LayerScale(({inChannels}, 1, 1), init={Double(_init)})";
        }
    }
}
