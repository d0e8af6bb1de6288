using System.Collections.Generic;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;
using static ModelDsl.Generator.Layers.Code;

namespace ModelDsl.Generator.Layers
{
    /// <summary>
    /// <c>nn.PReLU</c>: shape-preserving, with a learnt slope — one (NumParameters = 1) or one per channel of a map / feature
    /// of a flat input (NumParameters = that count, checked where the layer stands).
    /// </summary>
    internal sealed class PReluLayer : LayerFamily
    {
        public static readonly string PReLU = KindOf(nameof(PReLUAttribute));
        private static readonly PReLUAttribute Defaults = new();

        public override IReadOnlyList<string> Kinds { get; } = new[] { PReLU };

        public override string NamePrefix(string kind) => "Prelu";

        public override LayerConfig? Read(LayerSpec layer, string name, DiagnosticSink sink)
        {
            if (layer.Has(nameof(PReLUAttribute.NumParameters)) && !ArgumentChecks.Positive(layer, name, nameof(PReLUAttribute.NumParameters), sink)) return null;
            return new PRelu(layer.Int(nameof(PReLUAttribute.NumParameters), Defaults.NumParameters), layer.Real(nameof(PReLUAttribute.Init), Defaults.Init));
        }

        private sealed class PRelu : LayerConfig
        {
            private readonly long _count;
            private readonly double _init;

            public PRelu(long count, double init)
            {
                _count = count;
                _init = init;
            }

            public override LayerShape? Resolve(LayerInput input)
            {
                var shape = input.Shape;
                long channels = shape.IsFlat ? shape.Features : shape[0];
                if (_count != 1 && _count != channels)
                {
                    input.Sink.Report(DiagnosticDescriptors.InvalidLayerArgument, input.Layer.LocationOf(nameof(PReLUAttribute.NumParameters)), input.Kind, input.Name,
                        nameof(PReLUAttribute.NumParameters), _count, $"it must be 1 or the input's {(shape.IsFlat ? "features" : "channels")}, {channels} (input {shape})");
                    return null;
                }
                return new LayerShape(shape, channels, channels, _count);
            }

            public override string Construct(string inChannels, string outChannels) => $"{Nn}PReLU({Long(_count)}, {Double(_init)})";

            public override string Export(long inChannels, long outChannels) => Notation.Record("PReluOp", Long(_count));

            public override string Describe(string inChannels, string outChannels) => $"PReLU(num_parameters={Long(_count)})";
        }
    }
}
