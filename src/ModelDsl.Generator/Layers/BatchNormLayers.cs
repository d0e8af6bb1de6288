using System.Collections.Generic;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;
using static ModelDsl.Generator.Layers.Code;

namespace ModelDsl.Generator.Layers
{
    /// <summary><c>nn.BatchNorm2d</c> over a C×H×W map and <c>nn.BatchNorm1d</c> over a flat vector; the feature count is inferred and, when stated, checked.</summary>
    internal sealed class BatchNormLayers : LayerFamily
    {
        public static readonly string BatchNorm2d = KindOf(nameof(BatchNorm2dAttribute));
        public static readonly string BatchNorm1d = KindOf(nameof(BatchNorm1dAttribute));

        // BatchNorm1dAttribute has the same properties and defaults; the 2-D attribute names them for both.
        private static readonly BatchNorm2dAttribute Defaults = new();

        public override IReadOnlyList<string> Kinds { get; } = new[] { BatchNorm2d, BatchNorm1d };

        public override string NamePrefix(string kind) => "BatchNorm";

        public override bool AllowedInBlock(string kind) => kind != BatchNorm1d;

        public override LayerConfig? Read(LayerSpec layer, string name, DiagnosticSink sink)
        {
            bool ok = true;
            if (layer.Has(nameof(BatchNorm2dAttribute.NumFeatures))) ok &= ArgumentChecks.Positive(layer, name, nameof(BatchNorm2dAttribute.NumFeatures), sink);
            double eps = layer.Real(nameof(BatchNorm2dAttribute.Eps), Defaults.Eps);
            if (!(eps > 0)) { ArgumentChecks.Invalid(layer, name, nameof(BatchNorm2dAttribute.Eps), eps, "it must be positive", sink); ok = false; }
            double momentum = layer.Real(nameof(BatchNorm2dAttribute.Momentum), Defaults.Momentum);
            if (!(momentum >= 0 && momentum <= 1)) { ArgumentChecks.Invalid(layer, name, nameof(BatchNorm2dAttribute.Momentum), momentum, "it must be in [0, 1]", sink); ok = false; }
            if (!ok) return null;
            return new BatchNorm(layer.Kind == BatchNorm1d, layer.Int(nameof(BatchNorm2dAttribute.NumFeatures), 0), eps, momentum,
                layer.Bool(nameof(BatchNorm2dAttribute.Affine), Defaults.Affine), layer.Bool(nameof(BatchNorm2dAttribute.TrackRunningStats), Defaults.TrackRunningStats));
        }

        /// <summary>The batch norm after a residual block's projection shortcut: PyTorch's defaults.</summary>
        public static LayerConfig ProjectionShortcut()
            => new BatchNorm(flat: false, 0, Defaults.Eps, Defaults.Momentum, Defaults.Affine, Defaults.TrackRunningStats);

        private sealed class BatchNorm : LayerConfig
        {
            private readonly bool _flat;
            /// <summary>Stated feature count; 0 = inferred.</summary>
            private readonly long _declaredFeatures;
            private readonly double _eps, _momentum;
            private readonly bool _affine, _trackRunningStats;

            public BatchNorm(bool flat, long declaredFeatures, double eps, double momentum, bool affine, bool trackRunningStats)
            {
                _flat = flat;
                _declaredFeatures = declaredFeatures;
                _eps = eps;
                _momentum = momentum;
                _affine = affine;
                _trackRunningStats = trackRunningStats;
            }

            private string Kind => _flat ? BatchNorm1d : BatchNorm2d;

            public override LayerShape? Resolve(LayerInput input)
            {
                var shape = input.Shape;
                long features;
                if (!_flat)
                {
                    if (!input.NeedsFeatureMap()) return null;
                    features = shape.Channels;
                }
                else
                {
                    if (!shape.IsFlat)
                    {
                        input.Sink.Report(DiagnosticDescriptors.InvalidLayerArgument, input.Layer.Location, input.Kind, input.Name, "input", shape.ToString(),
                            "BatchNorm1d needs a flat input; use BatchNorm2d on a feature map or add [Flatten] first");
                        return null;
                    }
                    features = shape.Features;
                }
                if (_declaredFeatures > 0 && _declaredFeatures != features)
                {
                    input.Sink.Report(DiagnosticDescriptors.FeatureCountMismatch, input.Layer.LocationOf(nameof(BatchNorm2dAttribute.NumFeatures)), input.Kind, input.Name,
                        _declaredFeatures, features, shape.IsFlat ? $"{features} features" : $"input {shape}");
                    return null;
                }
                return new LayerShape(shape, features, features, _affine ? Counts.Product("its parameter count", 2, features) : 0);
            }

            /// <summary>After MDSL0004: a batch norm keeps its input's shape, whatever it states.</summary>
            public override Shape? OutputDespiteError(Shape input, TapScope? taps) => (_flat ? input.IsFlat : input.IsFeatureMap) ? input : null;

            public override string Construct(string inChannels, string outChannels)
                // Only what differs from TorchSharp's defaults (eps 1e-5, momentum 0.1, affine, tracking), as for Conv2d.
                => $"{Nn}{Kind}({inChannels}"
                    + (_eps == 1e-5 ? "" : $", eps: {Double(_eps)}") + (_momentum == 0.1 ? "" : $", momentum: {Double(_momentum)}")
                    + (_affine ? "" : ", affine: false") + (_trackRunningStats ? "" : ", track_running_stats: false") + ")";

            public override string Export(long inChannels, long outChannels)
                => Notation.Record("BatchNormOp", Double(_eps), Double(_momentum), Bool(_affine), Bool(_trackRunningStats));

            public override string Describe(string inChannels, string outChannels)
                => $"{Kind}({inChannels}, eps={Double(_eps)}, momentum={Double(_momentum)}, affine={PyBool(_affine)}, track_running_stats={PyBool(_trackRunningStats)})";
        }
    }
}
