using System.Collections.Generic;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;
using static ModelDsl.Generator.Layers.Code;

namespace ModelDsl.Generator.Layers
{
    /// <summary><c>nn.Upsample</c>, by a scale factor or to a fixed size; nearest, bilinear or bicubic.</summary>
    internal sealed class UpsampleLayer : LayerFamily
    {
        public static readonly string Upsample = KindOf(nameof(UpsampleAttribute));

        private static readonly UpsampleAttribute Defaults = new();

        public override IReadOnlyList<string> Kinds { get; } = new[] { Upsample };

        public override string NamePrefix(string kind) => "Upsample";

        public override LayerConfig? Read(LayerSpec layer, string name, DiagnosticSink sink)
        {
            const string scale = nameof(UpsampleAttribute.ScaleFactor), height = nameof(UpsampleAttribute.Height), width = nameof(UpsampleAttribute.Width);
            bool byScale = layer.Has(scale);
            bool bySize = layer.Has(height) || layer.Has(width);
            string mode = layer.Arg(nameof(UpsampleAttribute.Mode))?.Text ?? Defaults.Mode.ToString();
            if (layer.Arg(nameof(UpsampleAttribute.SizeOf)) is { } sizeOf)
            {
                string why = byScale || bySize ? $"give {nameof(UpsampleAttribute.SizeOf)} alone, without {scale}, {height} or {width}"
                    : string.IsNullOrEmpty(sizeOf.Text) ? "name a [Tap], or \"input\"" : "";
                bool alignTo = layer.Bool(nameof(UpsampleAttribute.AlignCorners), Defaults.AlignCorners);
                if (why.Length == 0 && alignTo && mode == nameof(UpsampleMode.Nearest)) why = "align_corners applies only to Bilinear and Bicubic modes";
                if (why.Length > 0) { ArgumentChecks.Invalid(layer, name, nameof(UpsampleAttribute.SizeOf), $"\"{sizeOf.Text}\"", why, sink); return null; }
                return new UpsampleTo(sizeOf.Text!, mode, alignTo);
            }
            if (byScale == bySize)
            {
                ArgumentChecks.Invalid(layer, name, $"{scale}/{height}/{width}", byScale ? "both" : "neither", $"give either {scale} or {height} and {width}", sink);
                return null;
            }
            bool ok = true;
            double factor = layer.Real(scale, 0);
            if (byScale && !(factor > 0)) { ArgumentChecks.Invalid(layer, name, scale, factor, "it must be positive", sink); ok = false; }
            else if (byScale && double.IsInfinity(factor)) { ArgumentChecks.Invalid(layer, name, scale, factor, "it must be a finite number", sink); ok = false; }
            if (bySize) ok &= ArgumentChecks.Positive(layer, name, height, sink) & ArgumentChecks.Positive(layer, name, width, sink);
            bool align = layer.Bool(nameof(UpsampleAttribute.AlignCorners), Defaults.AlignCorners);
            if (align && mode == nameof(UpsampleMode.Nearest))
            {
                ArgumentChecks.Invalid(layer, name, nameof(UpsampleAttribute.AlignCorners), "true", "align_corners applies only to Bilinear and Bicubic modes", sink);
                ok = false;
            }
            return ok ? new UpsampleConfig(byScale ? layer.Real(scale, 0) : 0, layer.Int(height, 0), layer.Int(width, 0), mode, align) : null;
        }

        /// <summary>
        /// Upsample to a tap's (or the input's) height and width: the reference tensor's size at run time
        /// (<c>ForwardSteps.UpsampleTo</c>, ONNX Resize to the reference's Shape, <c>F.interpolate(size=…)</c> in the twin).
        /// </summary>
        private sealed class UpsampleTo : ToReferenceSize
        {
            private readonly string _mode;
            private readonly bool _alignCorners;

            public UpsampleTo(string tap, string mode, bool alignCorners) : base(tap)
            {
                _mode = mode;
                _alignCorners = alignCorners;
            }

            protected override string EdgeOp => GraphEdge.UpsampleToOp;

            /// <summary>A resize from this input to the reference's size, as an upsampling by a factor.</summary>
            public override FieldStep Field(Shape input, Shape output)
                => !input.IsFeatureMap || !output.IsFeatureMap ? FieldStep.Unchanged
                    : FieldWindow.IsGlobal(output.Height, output.Width) ? FieldStep.WholeInput
                    : new FieldStep(FieldWindow.Resize(input.Height, output.Height), FieldWindow.Resize(input.Width, output.Width));

            protected override string EdgeArguments => $", global::ModelDsl.UpsampleMode.{_mode}, {(_mode == nameof(UpsampleMode.Nearest) ? "false" : Bool(_alignCorners))}";

            public override string Export(long inChannels, long outChannels)
                => Notation.Record("UpsampleToOp", Notation.Text(ExportTap), _mode, Bool(_alignCorners));

            public override string Describe(string inChannels, string outChannels)
                => $"F.interpolate(x, size={Tap}.shape[-2:], mode='{_mode.ToLowerInvariant()}')";
        }

        private sealed class UpsampleConfig : LayerConfig
        {
            /// <summary>The scale factor; 0 when upsampling to a fixed size.</summary>
            private readonly double _scale;
            private readonly long _height, _width;
            private readonly string _mode;
            private readonly bool _alignCorners;

            public UpsampleConfig(double scale, long height, long width, string mode, bool alignCorners)
            {
                _scale = scale;
                _height = height;
                _width = width;
                _mode = mode;
                _alignCorners = alignCorners;
            }

            public override bool TryAxisSteps(out AxisStep height, out AxisStep width)
            {
                height = _scale > 0 ? AxisStep.Scale(_scale) : AxisStep.Resize(_height);
                width = _scale > 0 ? AxisStep.Scale(_scale) : AxisStep.Resize(_width);
                return true;
            }

            public override LayerShape? Resolve(LayerInput input)
            {
                if (!input.NeedsFeatureMap()) return null;
                var shape = input.Shape;
                long oh = _scale > 0 ? ShapeMath.UpsampleOut(shape.Height, _scale) : _height;
                long ow = _scale > 0 ? ShapeMath.UpsampleOut(shape.Width, _scale) : _width;
                if (!input.SpatialOk(oh, ow, $"⌊{shape.Height}·{_scale}⌋", $"⌊{shape.Width}·{_scale}⌋")) return null;
                return new LayerShape(new Shape(shape.Channels, oh, ow), shape.Channels, shape.Channels);
            }

            public override string Construct(string inChannels, string outChannels)
            {
                string align = _mode == nameof(UpsampleMode.Nearest) ? "null" : Bool(_alignCorners);
                return _scale > 0
                    ? $"{Nn}Upsample(scale_factor: new double[] {{ {Double(_scale)}, {Double(_scale)} }}, mode: global::TorchSharp.torch.UpsampleMode.{_mode}, align_corners: {align})"
                    : $"{Nn}Upsample(size: new long[] {{ {Long(_height)}, {Long(_width)} }}, mode: global::TorchSharp.torch.UpsampleMode.{_mode}, align_corners: {align})";
            }

            public override string Export(long inChannels, long outChannels)
                => Notation.Record("UpsampleOp", Double(_scale), Long(_height), Long(_width), _mode, Bool(_alignCorners));

            public override string Describe(string inChannels, string outChannels)
                => _scale > 0
                    ? $"Upsample(scale_factor={Double(_scale)}, mode='{_mode.ToLowerInvariant()}')"
                    : $"Upsample(size={PyPair(_height, _width)}, mode='{_mode.ToLowerInvariant()}')";
        }
    }
}
