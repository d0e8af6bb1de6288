using System.Collections.Generic;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;
using static ModelDsl.Generator.Layers.Code;

namespace ModelDsl.Generator.Layers
{
    /// <summary>
    /// The norms over a C×H×W map that do not use the batch (the modern nets' choice): <c>nn.GroupNorm</c>,
    /// <c>nn.InstanceNorm2d</c> and torchvision's channels-first <c>LayerNorm2d</c> (ConvNeXt). Channels are inferred and,
    /// when stated, checked; a GroupNorm's groups must divide them. Shape-preserving; 2·C parameters when affine.
    /// </summary>
    internal sealed class FeatureNormLayers : LayerFamily
    {
        public static readonly string GroupNorm = KindOf(nameof(GroupNormAttribute));
        public static readonly string InstanceNorm2d = KindOf(nameof(InstanceNorm2dAttribute));
        public static readonly string LayerNorm2d = KindOf(nameof(LayerNorm2dAttribute));

        private static readonly GroupNormAttribute GroupDefaults = new();
        private static readonly InstanceNorm2dAttribute InstanceDefaults = new();
        private static readonly LayerNorm2dAttribute LayerDefaults = new();

        public override IReadOnlyList<string> Kinds { get; } = new[] { GroupNorm, InstanceNorm2d, LayerNorm2d };

        public override string NamePrefix(string kind) => kind;

        public override string TypeName(string kind) => kind == LayerNorm2d ? "global::ModelDsl.LayerNorm2d" : base.TypeName(kind);

        public override LayerConfig? Read(LayerSpec layer, string name, DiagnosticSink sink)
        {
            double eps = layer.Real(nameof(GroupNormAttribute.Eps), layer.Kind == LayerNorm2d ? LayerDefaults.Eps : GroupDefaults.Eps);
            bool ok = true;
            if (!(eps > 0)) { ArgumentChecks.Invalid(layer, name, nameof(GroupNormAttribute.Eps), eps, "it must be positive", sink); ok = false; }
            if (layer.Kind == GroupNorm)
            {
                if (!layer.Has(nameof(GroupNormAttribute.NumGroups)))
                {
                    ArgumentChecks.Invalid(layer, name, nameof(GroupNormAttribute.NumGroups), 0, "give the number of groups, e.g. [GroupNorm(32)]", sink);
                    ok = false;
                }
                else ok &= ArgumentChecks.Positive(layer, name, nameof(GroupNormAttribute.NumGroups), sink);
                if (layer.Has(nameof(GroupNormAttribute.NumChannels))) ok &= ArgumentChecks.Positive(layer, name, nameof(GroupNormAttribute.NumChannels), sink);
                return ok ? new Norm(GroupNorm, layer.Int(nameof(GroupNormAttribute.NumChannels), 0), eps, 0, layer.Bool(nameof(GroupNormAttribute.Affine), GroupDefaults.Affine), false,
                    layer.Int(nameof(GroupNormAttribute.NumGroups), 0)) : null;
            }
            if (layer.Kind == InstanceNorm2d)
            {
                if (layer.Has(nameof(InstanceNorm2dAttribute.NumFeatures))) ok &= ArgumentChecks.Positive(layer, name, nameof(InstanceNorm2dAttribute.NumFeatures), sink);
                double momentum = layer.Real(nameof(InstanceNorm2dAttribute.Momentum), InstanceDefaults.Momentum);
                if (!(momentum >= 0 && momentum <= 1)) { ArgumentChecks.Invalid(layer, name, nameof(InstanceNorm2dAttribute.Momentum), momentum, "it must be in [0, 1]", sink); ok = false; }
                return ok ? new Norm(InstanceNorm2d, layer.Int(nameof(InstanceNorm2dAttribute.NumFeatures), 0), eps, momentum,
                    layer.Bool(nameof(InstanceNorm2dAttribute.Affine), InstanceDefaults.Affine), layer.Bool(nameof(InstanceNorm2dAttribute.TrackRunningStats), InstanceDefaults.TrackRunningStats)) : null;
            }
            if (layer.Has(nameof(LayerNorm2dAttribute.NumChannels))) ok &= ArgumentChecks.Positive(layer, name, nameof(LayerNorm2dAttribute.NumChannels), sink);
            return ok ? new Norm(LayerNorm2d, layer.Int(nameof(LayerNorm2dAttribute.NumChannels), 0), eps, 0, layer.Bool(nameof(LayerNorm2dAttribute.ElementwiseAffine), LayerDefaults.ElementwiseAffine), false) : null;
        }

        private sealed class Norm : LayerConfig
        {
            private readonly string _kind;
            /// <summary>Stated channel count; 0 = inferred.</summary>
            private readonly long _declaredChannels;
            private readonly double _eps, _momentum;
            private readonly bool _affine, _trackRunningStats;
            private readonly long _groups;

            public Norm(string kind, long declaredChannels, double eps, double momentum, bool affine, bool trackRunningStats, long groups = 0)
            {
                _kind = kind;
                _declaredChannels = declaredChannels;
                _eps = eps;
                _momentum = momentum;
                _affine = affine;
                _trackRunningStats = trackRunningStats;
                _groups = groups;
            }

            /// <summary>The attribute property that states the channel count.</summary>
            private string ChannelsProperty => _kind == InstanceNorm2d ? nameof(InstanceNorm2dAttribute.NumFeatures) : nameof(GroupNormAttribute.NumChannels);

            public override LayerShape? Resolve(LayerInput input)
            {
                if (!input.NeedsFeatureMap()) return null;
                var shape = input.Shape;
                long c = shape.Channels;
                if (_declaredChannels > 0 && _declaredChannels != c)
                {
                    input.Sink.Report(DiagnosticDescriptors.FeatureCountMismatch, input.Layer.LocationOf(ChannelsProperty), input.Kind, input.Name, _declaredChannels, c, $"input {shape}");
                    return null;
                }
                if (_kind == GroupNorm && c % _groups != 0)
                {
                    input.Sink.Report(DiagnosticDescriptors.InvalidLayerArgument, input.Layer.LocationOf(nameof(GroupNormAttribute.NumGroups)), input.Kind, input.Name,
                        nameof(GroupNormAttribute.NumGroups), _groups, $"it must divide the input's {c} channels (input {shape})");
                    return null;
                }
                return new LayerShape(shape, c, c, _affine ? Counts.Product("its parameter count", 2, c) : 0);
            }

            /// <summary>After a channel-count or group error: a normalisation keeps its input's shape.</summary>
            public override Shape? OutputDespiteError(Shape input, TapScope? taps) => input.IsFeatureMap ? input : null;

            public override string Construct(string inChannels, string outChannels)
            {
                // TorchSharp's own leaves the affine weight and bias uninitialised (ModelDsl.InitialisedGroupNorm says why).
                if (_kind == GroupNorm) return $"global::ModelDsl.InitialisedGroupNorm.Create({_groups}, {inChannels}, eps: {Double(_eps)}, affine: {Bool(_affine)})";
                if (_kind == InstanceNorm2d)
                    return $"{Nn}InstanceNorm2d({inChannels}, eps: {Double(_eps)}, momentum: {Double(_momentum)}, affine: {Bool(_affine)}, track_running_stats: {Bool(_trackRunningStats)})";
                return $"new global::ModelDsl.LayerNorm2d({inChannels}, eps: {Double(_eps)}, elementwiseAffine: {Bool(_affine)})";
            }

            public override string Export(long inChannels, long outChannels)
                => _kind == GroupNorm ? Notation.Record("GroupNormOp", Long(_groups), Double(_eps), Bool(_affine))
                 : _kind == InstanceNorm2d ? Notation.Record("InstanceNormOp", Double(_eps), Double(_momentum), Bool(_affine), Bool(_trackRunningStats))
                 : Notation.Record("LayerNorm2dOp", Double(_eps), Bool(_affine));

            public override string Describe(string inChannels, string outChannels)
                => _kind == GroupNorm ? $"GroupNorm({_groups}, {inChannels}, eps={Double(_eps)}, affine={PyBool(_affine)})"
                 : _kind == InstanceNorm2d ? $"InstanceNorm2d({inChannels}, eps={Double(_eps)}, momentum={Double(_momentum)}, affine={PyBool(_affine)}, track_running_stats={PyBool(_trackRunningStats)})"
                 : $"LayerNorm2d(({inChannels},), eps={Double(_eps)}, elementwise_affine={PyBool(_affine)})";
        }
    }
}
