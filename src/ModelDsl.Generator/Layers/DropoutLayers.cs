using System.Collections.Generic;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;
using static ModelDsl.Generator.Layers.Code;

namespace ModelDsl.Generator.Layers
{
    /// <summary><c>nn.Dropout</c> (any input) and <c>nn.Dropout2d</c> (whole channels of a feature map).</summary>
    internal sealed class DropoutLayers : LayerFamily
    {
        public static readonly string Dropout = KindOf(nameof(DropoutAttribute));
        public static readonly string Dropout2d = KindOf(nameof(Dropout2dAttribute));

        private static readonly DropoutAttribute Defaults = new();

        public override IReadOnlyList<string> Kinds { get; } = new[] { Dropout, Dropout2d };

        public override string NamePrefix(string kind) => "Dropout";

        public override LayerConfig? Read(LayerSpec layer, string name, DiagnosticSink sink)
        {
            double p = layer.Real(nameof(DropoutAttribute.P), Defaults.P);
            if (!(p >= 0 && p < 1))
            {
                ArgumentChecks.Invalid(layer, name, nameof(DropoutAttribute.P), p, "a drop probability must be in [0, 1)", sink);
                return null;
            }
            return new DropoutConfig(layer.Kind, p);
        }

        private sealed class DropoutConfig : LayerConfig
        {
            private readonly string _kind;
            private readonly double _p;

            public DropoutConfig(string kind, double p)
            {
                _kind = kind;
                _p = p;
            }

            public override LayerShape? Resolve(LayerInput input)
            {
                if (_kind == Dropout2d && !input.NeedsFeatureMap()) return null;
                return LayerShape.Preserving(input.Shape);
            }

            public override string Construct(string inChannels, string outChannels) => $"{Nn}{_kind}({Double(_p)})";

            public override string Export(long inChannels, long outChannels) => Notation.Record("DropoutOp", Bool(_kind == Dropout2d), Double(_p));

            public override string Describe(string inChannels, string outChannels) => $"{_kind}(p={Double(_p)})";
        }
    }
}
