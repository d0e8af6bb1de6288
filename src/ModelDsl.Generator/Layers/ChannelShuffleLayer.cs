using System.Collections.Generic;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;
using static ModelDsl.Generator.Layers.Code;

namespace ModelDsl.Generator.Layers
{
    /// <summary><c>nn.ChannelShuffle(groups)</c>: shape-preserving; the input's channels must divide into the groups (MDSL0007).</summary>
    internal sealed class ChannelShuffleLayer : LayerFamily
    {
        public static readonly string ChannelShuffle = KindOf(nameof(ChannelShuffleAttribute));

        public override IReadOnlyList<string> Kinds { get; } = new[] { ChannelShuffle };

        public override string NamePrefix(string kind) => "Shuffle";

        public override LayerConfig? Read(LayerSpec layer, string name, DiagnosticSink sink)
            => ArgumentChecks.Positive(layer, name, nameof(ChannelShuffleAttribute.Groups), sink) ? new Shuffle(layer.Int(nameof(ChannelShuffleAttribute.Groups), 1)) : null;

        private sealed class Shuffle : LayerConfig
        {
            private readonly long _groups;

            public Shuffle(long groups) => _groups = groups;

            public override LayerShape? Resolve(LayerInput input)
            {
                if (!input.NeedsFeatureMap()) return null;
                if (input.Shape.Channels % _groups != 0)
                {
                    input.Sink.Report(DiagnosticDescriptors.InvalidLayerArgument, input.Layer.LocationOf(nameof(ChannelShuffleAttribute.Groups)), input.Kind, input.Name,
                        nameof(ChannelShuffleAttribute.Groups), _groups, $"it must divide the input's {input.Shape.Channels} channels (input {input.Shape})");
                    return null;
                }
                return LayerShape.Preserving(input.Shape);
            }

            public override Shape? OutputDespiteError(Shape input, TapScope? taps) => input.IsFeatureMap ? input : null;

            public override string Construct(string inChannels, string outChannels) => $"{Nn}ChannelShuffle({Long(_groups)})";

            public override string Export(long inChannels, long outChannels) => Notation.Record("ChannelShuffleOp", Long(_groups));

            public override string Describe(string inChannels, string outChannels) => $"ChannelShuffle(groups={_groups})";
        }
    }
}
