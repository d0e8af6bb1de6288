using System.Collections.Generic;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;
using static ModelDsl.Generator.Layers.Code;

namespace ModelDsl.Generator.Layers
{
    /// <summary><c>nn.AdaptiveAvgPool2d</c> and GlobalAvgPool (<c>AdaptiveAvgPool2d(1)</c>): a fixed output size whatever the input's.</summary>
    internal sealed class AdaptivePoolingLayers : LayerFamily
    {
        public static readonly string AdaptiveAvgPool2d = KindOf(nameof(AdaptiveAvgPool2dAttribute));
        public static readonly string GlobalAvgPool = KindOf(nameof(GlobalAvgPoolAttribute));

        public override IReadOnlyList<string> Kinds { get; } = new[] { AdaptiveAvgPool2d, GlobalAvgPool };

        public override string NamePrefix(string kind) => kind == GlobalAvgPool ? "GlobalPool" : "AdaptivePool";

        public override string TypeName(string kind) => "global::TorchSharp.Modules." + AdaptiveAvgPool2d;

        /// <summary>The constructor shorthands <c>(size)</c> and <c>(height, width)</c> set the output size.</summary>
        public override IEnumerable<string> PropertiesForParameter(string kind, string parameter) => parameter switch
        {
            "size" => new[] { nameof(AdaptiveAvgPool2dAttribute.OutputHeight), nameof(AdaptiveAvgPool2dAttribute.OutputWidth) },
            "height" => new[] { nameof(AdaptiveAvgPool2dAttribute.OutputHeight) },
            "width" => new[] { nameof(AdaptiveAvgPool2dAttribute.OutputWidth) },
            _ => base.PropertiesForParameter(kind, parameter),
        };

        public override LayerConfig? Read(LayerSpec layer, string name, DiagnosticSink sink)
        {
            if (layer.Kind == GlobalAvgPool) return new AdaptivePool(1, 1);
            const string height = nameof(AdaptiveAvgPool2dAttribute.OutputHeight), width = nameof(AdaptiveAvgPool2dAttribute.OutputWidth);
            if (!layer.Has(height) || !layer.Has(width))
            {
                ArgumentChecks.Invalid(layer, name, height + "/" + width, "missing", "give the output size, e.g. [AdaptiveAvgPool2d(6, 6)]", sink);
                return null;
            }
            bool ok = ArgumentChecks.Positive(layer, name, height, sink) & ArgumentChecks.Positive(layer, name, width, sink);
            return ok ? new AdaptivePool(layer.Int(height, 0), layer.Int(width, 0)) : null;
        }

        private sealed class AdaptivePool : LayerConfig
        {
            private readonly long _height, _width;

            public AdaptivePool(long height, long width)
            {
                _height = height;
                _width = width;
            }

            public override bool TryAxisSteps(out AxisStep height, out AxisStep width)
            {
                height = AxisStep.Resize(_height);
                width = AxisStep.Resize(_width);
                return true;
            }

            public override LayerShape? Resolve(LayerInput input)
            {
                if (!input.NeedsFeatureMap()) return null;
                long c = input.Shape.Channels;
                return new LayerShape(new Shape(c, _height, _width), c, c);
            }

            public override string Construct(string inChannels, string outChannels)
                => $"{Nn}AdaptiveAvgPool2d({(_height == _width ? Long(_height) : Tuple(_height, _width))})";

            public override string Export(long inChannels, long outChannels) => Notation.Record("AdaptiveAvgPool2dOp", Long(_height), Long(_width));

            public override string Describe(string inChannels, string outChannels) => $"AdaptiveAvgPool2d(output_size={PyPair(_height, _width)})";
        }
    }
}
