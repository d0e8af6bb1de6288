using System.Collections.Generic;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;
using static ModelDsl.Generator.Layers.Code;

namespace ModelDsl.Generator.Layers
{
    /// <summary><c>nn.Flatten()</c>: C×H×W → C·H·W.</summary>
    internal sealed class FlattenLayer : LayerFamily
    {
        public static readonly string Flatten = KindOf(nameof(FlattenAttribute));

        public override IReadOnlyList<string> Kinds { get; } = new[] { Flatten };

        public override string NamePrefix(string kind) => "Flatten";

        public override bool AllowedInBlock(string kind) => false;

        public override LayerConfig? Read(LayerSpec layer, string name, DiagnosticSink sink) => new FlattenConfig();

        private sealed class FlattenConfig : LayerConfig
        {
            public override LayerShape? Resolve(LayerInput input) => new(new Shape(input.Shape.Elements), input.Shape[0], input.Shape.Elements);

            public override string Construct(string inChannels, string outChannels) => $"{Nn}Flatten()";

            public override string Export(long inChannels, long outChannels) => Notation.Record("FlattenOp");

            public override string Describe(string inChannels, string outChannels) => "Flatten(start_dim=1, end_dim=-1)";
        }
    }
}
