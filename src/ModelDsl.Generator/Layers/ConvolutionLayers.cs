using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;
using static ModelDsl.Generator.Layers.Code;

namespace ModelDsl.Generator.Layers
{
    /// <summary><c>nn.Conv2d</c> and <c>nn.ConvTranspose2d</c>: kernels, strides, padding (incl. 'same'), dilation, groups.</summary>
    internal sealed class ConvolutionLayers : LayerFamily
    {
        public static readonly string Conv2d = KindOf(nameof(Conv2dAttribute));
        public static readonly string ConvTranspose2d = KindOf(nameof(ConvTranspose2dAttribute));

        // Conv2dAttribute and ConvTranspose2dAttribute share their property names; the conv's are used for both.
        private static readonly Conv2dAttribute ConvDefaults = new();
        private static readonly ConvTranspose2dAttribute TransposedDefaults = new();

        /// <summary>A default of Conv2d's expression-capable (object) properties, as the integer it is.</summary>
        private static int Number(object value) => System.Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);

        public override IReadOnlyList<string> Kinds { get; } = new[] { Conv2d, ConvTranspose2d };

        public override string NamePrefix(string kind) => kind == Conv2d ? "Conv" : "ConvT";

        public override LayerConfig? Read(LayerSpec layer, string name, DiagnosticSink sink)
        {
            bool transposed = layer.Kind == ConvTranspose2d;
            bool ok = true;
            long outChannels = layer.Int(nameof(Conv2dAttribute.OutChannels), 0);
            if (layer.Has(nameof(Conv2dAttribute.OutChannels))) ok &= ArgumentChecks.Positive(layer, name, nameof(Conv2dAttribute.OutChannels), sink);
            var (kh, kw, kOk) = ArgumentChecks.Pair(layer, name, nameof(Conv2dAttribute.Kernel), nameof(Conv2dAttribute.KernelH), nameof(Conv2dAttribute.KernelW), null, sink, min: 1, required: true);
            var (sh, sw, sOk) = ArgumentChecks.Pair(layer, name, nameof(Conv2dAttribute.Stride), nameof(Conv2dAttribute.StrideH), nameof(Conv2dAttribute.StrideW), transposed ? TransposedDefaults.Stride : Number(ConvDefaults.Stride), sink, min: 1);
            var (dh, dw, dOk) = ArgumentChecks.Pair(layer, name, nameof(Conv2dAttribute.Dilation), nameof(Conv2dAttribute.DilationH), nameof(Conv2dAttribute.DilationW), transposed ? TransposedDefaults.Dilation : Number(ConvDefaults.Dilation), sink, min: 1);
            ok &= kOk && sOk && dOk;
            long groups = layer.Int(nameof(Conv2dAttribute.Groups), transposed ? TransposedDefaults.Groups : Number(ConvDefaults.Groups));
            if (groups < 1) { ArgumentChecks.Invalid(layer, name, nameof(Conv2dAttribute.Groups), groups, "it must be at least 1", sink); ok = false; }

            bool same = !transposed && layer.Int(nameof(Conv2dAttribute.Padding), Number(ConvDefaults.Padding)) == Pad.Same
                && !layer.Has(nameof(Conv2dAttribute.PaddingH)) && !layer.Has(nameof(Conv2dAttribute.PaddingW));
            long ph = 0, pw = 0;
            if (same)
            {
                if (ok && (sh != 1 || sw != 1))
                {
                    sink.ReportWithProperties(DiagnosticDescriptors.SamePaddingNeedsStrideOne, layer.LocationOf(nameof(Conv2dAttribute.Padding)), SamePaddingProperties(kh, kw, dh, dw), layer.Kind, name,
                        sh == sw ? sh.ToString(CultureInfo.InvariantCulture) : $"{sh}×{sw}",
                        SuggestedPadding(kh, kw, dh, dw));
                    ok = false;
                }
            }
            else
            {
                bool pOk;
                (ph, pw, pOk) = ArgumentChecks.Pair(layer, name, nameof(Conv2dAttribute.Padding), nameof(Conv2dAttribute.PaddingH), nameof(Conv2dAttribute.PaddingW),
                    transposed ? TransposedDefaults.Padding : Number(ConvDefaults.Padding), sink, min: 0);
                ok &= pOk;
            }

            long oph = 0, opw = 0;
            if (transposed)
            {
                bool oOk;
                (oph, opw, oOk) = ArgumentChecks.Pair(layer, name, nameof(ConvTranspose2dAttribute.OutputPadding), nameof(ConvTranspose2dAttribute.OutputPaddingH), nameof(ConvTranspose2dAttribute.OutputPaddingW),
                    TransposedDefaults.OutputPadding, sink, min: 0);
                ok &= oOk;
                if (ok && ((oph >= sh && oph >= dh) || (opw >= sw && opw >= dw)))
                {
                    ArgumentChecks.Invalid(layer, name, nameof(ConvTranspose2dAttribute.OutputPadding), oph >= sh && oph >= dh ? oph : opw,
                        $"output padding must be smaller than either the stride ({sh}×{sw}) or the dilation ({dh}×{dw})", sink);
                    ok = false;
                }
            }

            if (!ok) return null;
            return new Convolution
            {
                Transposed = transposed, OutChannels = outChannels, KernelH = kh, KernelW = kw, StrideH = sh, StrideW = sw,
                PaddingH = ph, PaddingW = pw, SamePadding = same, DilationH = dh, DilationW = dw,
                OutputPaddingH = oph, OutputPaddingW = opw, Groups = groups,
                Bias = layer.Bool(nameof(Conv2dAttribute.Bias), transposed ? TransposedDefaults.Bias : ConvDefaults.Bias),
                PaddingMode = layer.Arg(nameof(Conv2dAttribute.PaddingMode))?.Text ?? ConvDefaults.PaddingMode.ToString(),
            };
        }

        /// <summary>A residual block's 1×1 projection shortcut (torchvision's ResNet downsample), stride chosen where the block is used.</summary>
        public static LayerConfig ProjectionShortcut(long outChannels, long strideH, long strideW)
            => new Convolution { OutChannels = outChannels, KernelH = 1, KernelW = 1, StrideH = strideH, StrideW = strideW, Bias = false };

        /// <summary>The projection's construction inside a block class: its stride is the block constructor's parameters.</summary>
        public static string ProjectionShortcutCall(string inChannels, string outChannels)
            => $"{Nn}Conv2d({inChannels}, {outChannels}, (1, 1), stride: (shortcutStrideH, shortcutStrideW), padding: (0, 0), dilation: (1, 1), padding_mode: global::TorchSharp.PaddingModes.Zeros, groups: 1, bias: false)";

        /// <summary>The explicit padding that 'Same' would amount to (what the code fix writes).</summary>
        public static string SuggestedPadding(long kh, long kw, long dh, long dw)
        {
            long h = dh * (kh - 1) / 2, w = dw * (kw - 1) / 2;
            return h == w ? h.ToString(CultureInfo.InvariantCulture) : $"{h}, PaddingW = {w}";
        }

        /// <summary>The same explicit padding as <see cref="SuggestedPadding"/>, as properties for the MDSL0008 code fix.</summary>
        private static EquatableArray<DiagnosticProperty> SamePaddingProperties(long kh, long kw, long dh, long dw)
            => new[]
            {
                new DiagnosticProperty(DiagnosticProperties.PaddingH, (dh * (kh - 1) / 2).ToString(CultureInfo.InvariantCulture)),
                new DiagnosticProperty(DiagnosticProperties.PaddingW, (dw * (kw - 1) / 2).ToString(CultureInfo.InvariantCulture)),
            }.ToEquatableArray();

        private sealed class Convolution : LayerConfig
        {
            public bool Transposed { get; init; }
            /// <summary>Declared output channels; 0 = keep the input's.</summary>
            public long OutChannels { get; init; }
            public long KernelH { get; init; }
            public long KernelW { get; init; }
            public long StrideH { get; init; } = 1;
            public long StrideW { get; init; } = 1;
            public long PaddingH { get; init; }
            public long PaddingW { get; init; }
            public bool SamePadding { get; init; }
            public long DilationH { get; init; } = 1;
            public long DilationW { get; init; } = 1;
            public long OutputPaddingH { get; init; }
            public long OutputPaddingW { get; init; }
            public long Groups { get; init; } = 1;
            public bool Bias { get; init; } = true;
            public string PaddingMode { get; init; } = nameof(ModelDsl.PaddingMode.Zeros);

            private string Kind => Transposed ? ConvTranspose2d : Conv2d;

            public override bool MapsChannels => true;

            /// <summary>'same' padding that is asymmetric (an odd total on an axis) with a padding mode other than zeros.</summary>
            private bool NeedsExplicitSamePadding => !Transposed && SamePadding && PaddingMode != nameof(ModelDsl.PaddingMode.Zeros)
                && ((DilationH * (KernelH - 1)) % 2 == 1 || (DilationW * (KernelW - 1)) % 2 == 1);

            public override string? ModuleType => NeedsExplicitSamePadding ? "global::ModelDsl.SamePaddedConv2d"
                : NeedsRectangularOutputPadding ? "global::ModelDsl.OutputPaddedConvTranspose2d" : null;

            /// <summary>
            /// TorchSharp 0.107's ConvTranspose2d applies the height's output padding to both axes; a rectangular
            /// one gets the runtime module that passes both values (same parameters, same state-dict names).
            /// </summary>
            private bool NeedsRectangularOutputPadding => Transposed && OutputPaddingH != OutputPaddingW;

            public override long? DeclaredOutChannels => OutChannels > 0 ? OutChannels : null;

            public override bool TryAxisSteps(out AxisStep height, out AxisStep width)
            {
                // PyTorch pads with F.pad before a conv with a padding mode: reflect needs padding < input, circular ≤ input.
                var rule = PaddingMode == nameof(ModelDsl.PaddingMode.Reflect) ? AxisStep.PaddingRule.LessThanInput
                    : PaddingMode == nameof(ModelDsl.PaddingMode.Circular) ? AxisStep.PaddingRule.AtMostInput
                    : AxisStep.PaddingRule.Any;
                if (Transposed)
                {
                    height = AxisStep.Transposed(KernelH, StrideH, PaddingH, OutputPaddingH, DilationH);
                    width = AxisStep.Transposed(KernelW, StrideW, PaddingW, OutputPaddingW, DilationW);
                }
                else if (SamePadding)
                {
                    height = AxisStep.Same(KernelH, DilationH, rule);
                    width = AxisStep.Same(KernelW, DilationW, rule);
                }
                else
                {
                    height = AxisStep.Window(KernelH, StrideH, PaddingH, DilationH, rule: rule);
                    width = AxisStep.Window(KernelW, StrideW, PaddingW, DilationW, rule: rule);
                }
                return true;
            }

            public override LayerShape? Resolve(LayerInput input)
            {
                if (!input.NeedsFeatureMap()) return null;
                var shape = input.Shape;
                long cin = shape.Channels, cout = OutChannels > 0 ? OutChannels : cin;
                if (cin % Groups != 0 || cout % Groups != 0)
                {
                    input.Sink.Report(DiagnosticDescriptors.GroupsMustDivideChannels, input.Layer.LocationOf(nameof(Conv2dAttribute.Groups)), input.Kind, input.Name, Groups, cin, cout);
                    return null;
                }
                var (oh, ow) = OutputSize(shape);
                string fh, fw;
                if (!Transposed)
                {
                    if (SamePadding) fh = fw = "same";
                    else
                    {
                        fh = ShapeMath.ConvFormula(shape.Height, KernelH, StrideH, PaddingH, DilationH);
                        fw = ShapeMath.ConvFormula(shape.Width, KernelW, StrideW, PaddingW, DilationW);
                    }
                    if (PaddingMode == nameof(ModelDsl.PaddingMode.Reflect) && !SamePadding && (PaddingH >= shape.Height || PaddingW >= shape.Width))
                    {
                        input.Sink.Report(DiagnosticDescriptors.InvalidLayerArgument, input.Layer.LocationOf(nameof(Conv2dAttribute.Padding)), input.Kind, input.Name, nameof(Conv2dAttribute.Padding),
                            $"{PaddingH}×{PaddingW}", $"reflect padding must be smaller than the input {shape.Height}×{shape.Width}");
                        return null;
                    }
                }
                else
                {
                    fh = ShapeMath.ConvTransposeFormula(shape.Height, KernelH, StrideH, PaddingH, OutputPaddingH, DilationH);
                    fw = ShapeMath.ConvTransposeFormula(shape.Width, KernelW, StrideW, PaddingW, OutputPaddingW, DilationW);
                }
                if (!input.SpatialOk(oh, ow, fh, fw)) return null;
                var output = new Shape(cout, oh, ow);
                _ = output.Elements; // an output that cannot exist is the first thing to report, before the counts it implies
                long weights = Transposed ? Counts.Product("its weight count", cin, cout / Groups, KernelH, KernelW) : Counts.Product("its weight count", cout, cin / Groups, KernelH, KernelW);
                long parameters = Counts.Sum("its parameter count", weights, Bias ? cout : 0);
                // A conv does one multiply-add per weight at each output position; a transposed conv at each input position.
                long macs = Transposed ? Counts.Product("its multiply-add count", shape.Height, shape.Width, weights) : Counts.Product("its multiply-add count", oh, ow, weights);
                return new LayerShape(output, cin, cout, parameters, macs);
            }

            /// <summary>PyTorch's output height and width at <paramref name="shape"/> (≤ 0 where the map shrinks to nothing).</summary>
            private (long Height, long Width) OutputSize(Shape shape)
                => Transposed
                    ? (ShapeMath.ConvTransposeOut(shape.Height, KernelH, StrideH, PaddingH, OutputPaddingH, DilationH),
                       ShapeMath.ConvTransposeOut(shape.Width, KernelW, StrideW, PaddingW, OutputPaddingW, DilationW))
                    : SamePadding ? (shape.Height, shape.Width)
                    : (ShapeMath.ConvOut(shape.Height, KernelH, StrideH, PaddingH, DilationH), ShapeMath.ConvOut(shape.Width, KernelW, StrideW, PaddingW, DilationW));

            /// <summary>After a groups or padding error: the declared channels at the size the convolution gives.</summary>
            public override Shape? OutputDespiteError(Shape input, TapScope? taps)
            {
                if (!input.IsFeatureMap) return null;
                var (oh, ow) = OutputSize(input);
                return oh > 0 && ow > 0 ? new Shape(OutChannels > 0 ? OutChannels : input.Channels, oh, ow) : null;
            }

            public override string Construct(string inChannels, string outChannels)
            {
                // TorchSharp has a scalar overload next to each tuple one. Tuple literals make the compiler try
                // tuple conversions against every overload, which made generated modules several times slower
                // to compile than hand-written ones; a square layer therefore uses the scalar overload.
                bool square = KernelH == KernelW && StrideH == StrideW && PaddingH == PaddingW
                    && DilationH == DilationW && OutputPaddingH == OutputPaddingW;
                string Pair(long h, long w) => square ? Long(h) : Tuple(h, w);
                if (NeedsRectangularOutputPadding)
                    return $"new global::ModelDsl.OutputPaddedConvTranspose2d({inChannels}, {outChannels}, {Tuple(KernelH, KernelW)}, {Tuple(StrideH, StrideW)}, {Tuple(PaddingH, PaddingW)}, {Tuple(OutputPaddingH, OutputPaddingW)}, {Tuple(DilationH, DilationW)}, groups: {Long(Groups)}, bias: {Bool(Bias)})";
                if (Transposed)
                    return $"{Nn}ConvTranspose2d({inChannels}, {outChannels}, {Pair(KernelH, KernelW)}, stride: {Pair(StrideH, StrideW)}, padding: {Pair(PaddingH, PaddingW)}, output_padding: {Pair(OutputPaddingH, OutputPaddingW)}, dilation: {Pair(DilationH, DilationW)}, groups: {Long(Groups)}, bias: {Bool(Bias)})";

                // 'same' whose total padding is even on both axes is plain symmetric padding; emitting the
                // number keeps TorchSharp on its explicit-padding path. Odd totals (even effective kernels)
                // are padded asymmetrically: with zeros TorchSharp's Same path does that right; with another
                // padding mode it pads the wrong axes (0.107), so SamePaddedConv2d pads as PyTorch does.
                long totalH = DilationH * (KernelH - 1), totalW = DilationW * (KernelW - 1);
                bool symmetricSame = SamePadding && totalH % 2 == 0 && totalW % 2 == 0;
                if (NeedsExplicitSamePadding)
                    return $"new global::ModelDsl.SamePaddedConv2d({inChannels}, {outChannels}, {Tuple(KernelH, KernelW)}, {Tuple(DilationH, DilationW)}, global::TorchSharp.PaddingModes.{PaddingMode}, groups: {Long(Groups)}, bias: {Bool(Bias)})";
                if (symmetricSame)
                    return $"{Nn}Conv2d({inChannels}, {outChannels}, {Pair(KernelH, KernelW)}, stride: {Pair(1, 1)}{PaddingArgument(Pair(totalH / 2, totalW / 2))}{NonDefaultArguments(Pair)})";
                return SamePadding
                    ? $"{Nn}Conv2d({inChannels}, {outChannels}, {Tuple(KernelH, KernelW)}, global::TorchSharp.Padding.Same, stride: {Tuple(1, 1)}, dilation: {Tuple(DilationH, DilationW)}, padding_mode: global::TorchSharp.PaddingModes.{PaddingMode}, groups: {Long(Groups)}, bias: {Bool(Bias)})"
                    : $"{Nn}Conv2d({inChannels}, {outChannels}, {Pair(KernelH, KernelW)}, stride: {Pair(StrideH, StrideW)}{PaddingArgument(Pair(PaddingH, PaddingW))}{NonDefaultArguments(Pair)})";
            }

            public override string Export(long inChannels, long outChannels)
            {
                if (Transposed)
                    return Notation.Record("ConvTranspose2dOp", Long(KernelH), Long(KernelW), Long(StrideH), Long(StrideW), Long(PaddingH), Long(PaddingW), Long(OutputPaddingH), Long(OutputPaddingW), Long(DilationH), Long(DilationW), Long(Groups), Bool(Bias));
                // 'same' as PyTorch splits it: the odd row or column of an even effective kernel goes to the bottom or right.
                long totalH = DilationH * (KernelH - 1), totalW = DilationW * (KernelW - 1);
                long top = SamePadding ? totalH / 2 : PaddingH, left = SamePadding ? totalW / 2 : PaddingW;
                long bottom = SamePadding ? totalH - top : PaddingH, right = SamePadding ? totalW - left : PaddingW;
                var args = new[] { Long(KernelH), Long(KernelW), Long(StrideH), Long(StrideW), Long(top), Long(left), Long(bottom), Long(right), Long(DilationH), Long(DilationW), Long(Groups), Bool(Bias), PaddingMode };
                return Notation.Record("Conv2dOp", NeedsExplicitSamePadding ? args.Concat(new[] { Notation.Text("conv.") }).ToArray() : args);
            }

            // A constant 0 converts to any enum, so "padding: 0" would also match the overload taking
            // TorchSharp.Padding and make the call ambiguous; 0 is the default anyway.
            private static string PaddingArgument(string padding) => padding == "0" ? "" : ", padding: " + padding;

            // Arguments equal to TorchSharp's defaults are left out: fewer for every consumer's compiler to bind,
            // and the call reads like the one a user would write. The description still prints them all.
            private string NonDefaultArguments(System.Func<long, long, string> pair)
                => (DilationH == 1 && DilationW == 1 ? "" : $", dilation: {pair(DilationH, DilationW)}")
                    + (PaddingMode == nameof(ModelDsl.PaddingMode.Zeros) ? "" : $", padding_mode: global::TorchSharp.PaddingModes.{PaddingMode}")
                    + (Groups == 1 ? "" : $", groups: {Long(Groups)}")
                    + (Bias ? "" : ", bias: false");

            public override string Describe(string inChannels, string outChannels)
                => Transposed
                    ? $"ConvTranspose2d({inChannels}, {outChannels}, kernel_size={PyPair(KernelH, KernelW)}, stride={PyPair(StrideH, StrideW)}, padding={PyPair(PaddingH, PaddingW)}, output_padding={PyPair(OutputPaddingH, OutputPaddingW)})"
                    : $"Conv2d({inChannels}, {outChannels}, kernel_size={PyPair(KernelH, KernelW)}, stride={PyPair(StrideH, StrideW)}, padding={(SamePadding ? "same" : PyPair(PaddingH, PaddingW))}" +
                      (DilationH != 1 || DilationW != 1 ? $", dilation={PyPair(DilationH, DilationW)}" : "") +
                      (Groups != 1 ? $", groups={Groups}" : "") + (Bias ? "" : ", bias=False") +
                      (PaddingMode != nameof(ModelDsl.PaddingMode.Zeros) ? $", padding_mode={PaddingMode.ToLowerInvariant()}" : "") + ")";
        }
    }
}
