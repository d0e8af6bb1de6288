using System.Collections.Generic;
using System.Globalization;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;
using static ModelDsl.Generator.Layers.Code;

namespace ModelDsl.Generator.Layers
{
    /// <summary><c>nn.Linear</c> on a flat input; the input size is inferred and, when stated with InFeatures, checked.</summary>
    internal sealed class LinearLayer : LayerFamily
    {
        public static readonly string Linear = KindOf(nameof(LinearAttribute));

        // The one constructor needs the output size; only the defaults of the other properties are read.
        private static readonly LinearAttribute Defaults = new(outFeatures: 1);

        public override IReadOnlyList<string> Kinds { get; } = new[] { Linear };

        public override string NamePrefix(string kind) => "Linear";

        public override bool AllowedInBlock(string kind) => false;

        public override LayerConfig? Read(LayerSpec layer, string name, DiagnosticSink sink)
        {
            bool ok = ArgumentChecks.Positive(layer, name, nameof(LinearAttribute.OutFeatures), sink);
            if (layer.Has(nameof(LinearAttribute.InFeatures))) ok &= ArgumentChecks.Positive(layer, name, nameof(LinearAttribute.InFeatures), sink);
            if (!ok) return null;
            return new LinearConfig(layer.Int(nameof(LinearAttribute.OutFeatures), 0), layer.Int(nameof(LinearAttribute.InFeatures), 0),
                layer.Bool(nameof(LinearAttribute.Bias), Defaults.Bias));
        }

        private sealed class LinearConfig : LayerConfig
        {
            private readonly long _outFeatures;
            /// <summary>Stated input size; 0 = inferred.</summary>
            private readonly long _declaredInFeatures;
            private readonly bool _bias;

            public LinearConfig(long outFeatures, long declaredInFeatures, bool bias)
            {
                _outFeatures = outFeatures;
                _declaredInFeatures = declaredInFeatures;
                _bias = bias;
            }

            public override long? DeclaredOutChannels => _outFeatures;

            public override LayerShape? Resolve(LayerInput input)
            {
                var shape = input.Shape;
                if (!shape.IsFlat)
                {
                    // The flattened size travels with the diagnostic, so its code fix can also correct a stated InFeatures.
                    // (Every shape reaching a layer has passed Elements' overflow check in ShapeEngine.Resolve.)
                    var flattened = shape.IsFeatureMap
                        ? new[] { new DiagnosticProperty(DiagnosticProperties.InFeatures, shape.Elements.ToString(CultureInfo.InvariantCulture)) }.ToEquatableArray()
                        : EquatableArray<DiagnosticProperty>.Empty;
                    input.Sink.ReportWithProperties(DiagnosticDescriptors.LinearNeedsFlatInput, input.Layer.Location, flattened, input.Name, shape.ToString());
                    return null;
                }
                long fin = shape.Features;
                if (_declaredInFeatures > 0 && _declaredInFeatures != fin)
                {
                    input.Sink.ReportWithProperties(DiagnosticDescriptors.LinearInFeaturesMismatch, input.Layer.LocationOf(nameof(LinearAttribute.InFeatures)),
                        new[] { new DiagnosticProperty(DiagnosticProperties.InFeatures, fin.ToString(CultureInfo.InvariantCulture)) }.ToEquatableArray(),
                        input.Name, _declaredInFeatures, fin,
                        input.MapBeforeFlatten is { } map ? $" ({map} after Flatten)." : ".");
                    return null;
                }
                long weights = Counts.Product("its weight count", fin, _outFeatures);
                long parameters = Counts.Sum("its parameter count", weights, _bias ? _outFeatures : 0);
                return new LayerShape(new Shape(_outFeatures), fin, _outFeatures, parameters, weights);
            }

            /// <summary>After MDSL0002/0003: the stated output features (the fix is a Flatten or a corrected InFeatures, neither changes them).</summary>
            public override Shape? OutputDespiteError(Shape input, TapScope? taps) => input.IsFeatureMap || input.IsFlat ? new Shape(_outFeatures) : null;

            public override string Construct(string inChannels, string outChannels) => $"{Nn}Linear({inChannels}, {outChannels}{(_bias ? "" : ", hasBias: false")})";

            public override string Export(long inChannels, long outChannels) => Notation.Record("LinearOp", Long(inChannels), Long(outChannels), Bool(_bias));

            public override string Describe(string inChannels, string outChannels) => $"Linear(in_features={inChannels}, out_features={outChannels}, bias={PyBool(_bias)})";
        }
    }
}
