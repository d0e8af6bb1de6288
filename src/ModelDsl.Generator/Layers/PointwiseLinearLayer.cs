using System.Collections.Generic;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;
using static ModelDsl.Generator.Layers.Code;

namespace ModelDsl.Generator.Layers
{
    /// <summary>
    /// <c>nn.Linear</c> over each pixel's channels (ConvNeXt's MLP between its Permutes): C×H×W → OutFeatures×H×W, with the
    /// out×in weight of nn.Linear. A separate kind rather than Linear on a map: Linear after a convolution without Flatten
    /// stays the mistake MDSL0003 reports. OutFeatures may be an expression in a block (<c>"4 * In"</c>).
    /// </summary>
    internal sealed class PointwiseLinearLayer : LayerFamily
    {
        public static readonly string PointwiseLinear = KindOf(nameof(PointwiseLinearAttribute));
        private static readonly PointwiseLinearAttribute Defaults = new();

        public override IReadOnlyList<string> Kinds { get; } = new[] { PointwiseLinear };

        public override string NamePrefix(string kind) => "PointwiseLinear";

        public override string TypeName(string kind) => "global::ModelDsl.PointwiseLinear";

        public override LayerConfig? Read(LayerSpec layer, string name, DiagnosticSink sink)
        {
            if (layer.Has(nameof(PointwiseLinearAttribute.OutFeatures)) && !ArgumentChecks.Positive(layer, name, nameof(PointwiseLinearAttribute.OutFeatures), sink)) return null;
            return new Config(layer.Int(nameof(PointwiseLinearAttribute.OutFeatures), 0), layer.Bool(nameof(PointwiseLinearAttribute.Bias), Defaults.Bias));
        }

        private sealed class Config : LayerConfig
        {
            /// <summary>Stated output channels; 0 = the input's.</summary>
            private readonly long _out;
            private readonly bool _bias;

            public Config(long outFeatures, bool bias)
            {
                _out = outFeatures;
                _bias = bias;
            }

            public override bool MapsChannels => true;

            public override long? DeclaredOutChannels => _out > 0 ? _out : null;

            public override LayerShape? Resolve(LayerInput input)
            {
                if (!input.NeedsFeatureMap()) return null;
                var shape = input.Shape;
                long cin = shape.Channels, cout = _out > 0 ? _out : cin;
                long weights = Counts.Product("its weight count", cin, cout);
                long parameters = Counts.Sum("its parameter count", weights, _bias ? cout : 0);
                long multiplyAdds = Counts.Product("its multiply-adds", weights, Counts.Product("its multiply-adds", shape.Height, shape.Width));
                return new LayerShape(new Shape(cout, shape.Height, shape.Width), cin, cout, parameters, multiplyAdds);
            }

            /// <summary>After an error on a map: its stated channels at the input's size.</summary>
            public override Shape? OutputDespiteError(Shape input, TapScope? taps)
                => input.IsFeatureMap ? new Shape(_out > 0 ? _out : input.Channels, input.Height, input.Width) : null;

            public override string Construct(string inChannels, string outChannels)
                => $"new global::ModelDsl.PointwiseLinear({inChannels}, {outChannels}{(_bias ? "" : ", hasBias: false")})";

            public override string Export(long inChannels, long outChannels) => Notation.Record("PointwiseLinearOp", Long(inChannels), Long(outChannels), Bool(_bias));

            public override string Describe(string inChannels, string outChannels)
                => $"PointwiseLinear(in_features={inChannels}, out_features={outChannels}, bias={PyBool(_bias)})";
        }
    }
}
