using System.Collections.Generic;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;
using static ModelDsl.Generator.Layers.Code;

namespace ModelDsl.Generator.Layers
{
    /// <summary>
    /// <c>nn.Dropout</c> (any input), <c>nn.Dropout2d</c> (whole channels of a feature map) and torchvision's
    /// <c>StochasticDepth</c> (whole samples, emitted as <c>ModelDsl.StochasticDepth</c>): all the identity in eval mode.
    /// </summary>
    internal sealed class DropoutLayers : LayerFamily
    {
        public static readonly string Dropout = KindOf(nameof(DropoutAttribute));
        public static readonly string Dropout2d = KindOf(nameof(Dropout2dAttribute));
        public static readonly string StochasticDepth = KindOf(nameof(StochasticDepthAttribute));

        private static readonly DropoutAttribute Defaults = new();

        public override IReadOnlyList<string> Kinds { get; } = new[] { Dropout, Dropout2d, StochasticDepth };

        public override string NamePrefix(string kind) => kind == StochasticDepth ? "StochasticDepth" : "Dropout";

        public override string TypeName(string kind) => kind == StochasticDepth ? "global::ModelDsl.StochasticDepth" : base.TypeName(kind);

        public override LayerConfig? Read(LayerSpec layer, string name, DiagnosticSink sink)
        {
            double p = layer.Real(nameof(DropoutAttribute.P), (double)(layer.Kind == StochasticDepth ? new StochasticDepthAttribute().P : Defaults.P));
            if (!(p >= 0 && p < 1))
            {
                ArgumentChecks.Invalid(layer, name, nameof(DropoutAttribute.P), p, "a drop probability must be in [0, 1)", sink);
                return null;
            }
            bool row = (layer.Arg(nameof(StochasticDepthAttribute.Mode))?.Text ?? nameof(StochasticDepthMode.Row)) != nameof(StochasticDepthMode.Batch);
            return new DropoutConfig(layer.Kind, p, row);
        }

        private sealed class DropoutConfig : LayerConfig
        {
            private readonly string _kind;
            private readonly double _p;
            /// <summary>StochasticDepth's mode: per sample ("row") or the whole batch.</summary>
            private readonly bool _row;

            public DropoutConfig(string kind, double p, bool row)
            {
                _kind = kind;
                _p = p;
                _row = row;
            }

            public override LayerShape? Resolve(LayerInput input)
            {
                if (_kind == Dropout2d && !input.NeedsFeatureMap()) return null;
                return LayerShape.Preserving(input.Shape);
            }

            public override string Construct(string inChannels, string outChannels)
                => _kind == StochasticDepth ? $"new global::ModelDsl.StochasticDepth({Double(_p)}, rowMode: {Bool(_row)})" : $"{Nn}{_kind}({Double(_p)})";

            public override string Export(long inChannels, long outChannels)
                => _kind == StochasticDepth ? Notation.Record("StochasticDepthOp", Double(_p), Bool(_row)) : Notation.Record("DropoutOp", Bool(_kind == Dropout2d), Double(_p));

            public override string Describe(string inChannels, string outChannels)
                => _kind == StochasticDepth ? $"StochasticDepth(p={Double(_p)}, mode={(_row ? "row" : "batch")})" : $"{_kind}(p={Double(_p)})";
        }
    }
}
