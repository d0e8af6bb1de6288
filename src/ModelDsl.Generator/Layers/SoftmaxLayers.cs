using System.Collections.Generic;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;
using static ModelDsl.Generator.Layers.Code;

namespace ModelDsl.Generator.Layers
{
    /// <summary><c>nn.Softmax(dim)</c> and <c>nn.LogSoftmax(dim)</c>; Dim counts the batch dimension, as in PyTorch.</summary>
    internal sealed class SoftmaxLayers : LayerFamily
    {
        public static readonly string Softmax = KindOf(nameof(SoftmaxAttribute));
        public static readonly string LogSoftmax = KindOf(nameof(LogSoftmaxAttribute));

        private static readonly SoftmaxAttribute SoftmaxDefaults = new();
        private static readonly LogSoftmaxAttribute LogSoftmaxDefaults = new();

        public override IReadOnlyList<string> Kinds { get; } = new[] { Softmax, LogSoftmax };

        public override string NamePrefix(string kind) => kind;

        public override LayerConfig? Read(LayerSpec layer, string name, DiagnosticSink sink)
            => new SoftmaxConfig(layer.Kind, layer.Int(nameof(SoftmaxAttribute.Dim), layer.Kind == Softmax ? SoftmaxDefaults.Dim : LogSoftmaxDefaults.Dim));

        private sealed class SoftmaxConfig : LayerConfig
        {
            private readonly string _kind;
            private readonly long _dim;

            public SoftmaxConfig(string kind, long dim)
            {
                _kind = kind;
                _dim = dim;
            }

            public override LayerShape? Resolve(LayerInput input)
            {
                long rank = input.Shape.Rank + 1;
                if (_dim < -rank || _dim >= rank)
                {
                    input.Sink.Report(DiagnosticDescriptors.InvalidLayerArgument, input.Layer.LocationOf(nameof(SoftmaxAttribute.Dim)), input.Kind, input.Name, nameof(SoftmaxAttribute.Dim), _dim,
                        $"the input N×{input.Shape} has {rank} dimensions, so Dim must be in [{-rank}, {rank - 1}]");
                    return null;
                }
                // Dim 0 (or −rank) is the batch: each class's scores would sum to 1 across the samples, not per sample.
                if (_dim == 0 || _dim == -rank)
                    input.Sink.Report(DiagnosticDescriptors.SoftmaxOverBatch, input.Layer.LocationOf(nameof(SoftmaxAttribute.Dim)), input.Kind, input.Name, _dim, input.Shape.ToString());
                return LayerShape.Preserving(input.Shape);
            }

            public override string Construct(string inChannels, string outChannels) => $"{Nn}{_kind}({Long(_dim)})";

            public override string Export(long inChannels, long outChannels) => Notation.Record("SoftmaxOp", Bool(_kind == LogSoftmax), Long(_dim));

            public override string Describe(string inChannels, string outChannels) => $"{_kind}(dim={_dim})";
        }
    }
}
