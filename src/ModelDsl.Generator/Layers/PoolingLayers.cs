using System.Collections.Generic;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;
using static ModelDsl.Generator.Layers.Code;

namespace ModelDsl.Generator.Layers
{
    /// <summary><c>nn.MaxPool2d</c> and <c>nn.AvgPool2d</c>: the stride defaults to the kernel, ceil mode, PyTorch's padding limit.</summary>
    internal sealed class PoolingLayers : LayerFamily
    {
        public static readonly string MaxPool2d = KindOf(nameof(MaxPool2dAttribute));
        public static readonly string AvgPool2d = KindOf(nameof(AvgPool2dAttribute));

        private static readonly MaxPool2dAttribute MaxDefaults = new();
        private static readonly AvgPool2dAttribute AvgDefaults = new();

        public override IReadOnlyList<string> Kinds { get; } = new[] { MaxPool2d, AvgPool2d };

        public override string NamePrefix(string kind) => kind == MaxPool2d ? "MaxPool" : "AvgPool";

        public override LayerConfig? Read(LayerSpec layer, string name, DiagnosticSink sink)
        {
            bool max = layer.Kind == MaxPool2d;
            var (kh, kw, kOk) = ArgumentChecks.Pair(layer, name, nameof(MaxPool2dAttribute.Kernel), nameof(MaxPool2dAttribute.KernelH), nameof(MaxPool2dAttribute.KernelW), null, sink, min: 1, required: true);
            if (!kOk) return null;
            // Stride 0 (the attributes' default) means "the kernel size", as in PyTorch.
            var (sh, sw, sOk) = ArgumentChecks.Pair(layer, name, nameof(MaxPool2dAttribute.Stride), nameof(MaxPool2dAttribute.StrideH), nameof(MaxPool2dAttribute.StrideW), null, sink, min: 1, fallbackH: kh, fallbackW: kw);
            var (ph, pw, pOk) = ArgumentChecks.Pair(layer, name, nameof(MaxPool2dAttribute.Padding), nameof(MaxPool2dAttribute.PaddingH), nameof(MaxPool2dAttribute.PaddingW),
                max ? MaxDefaults.Padding : AvgDefaults.Padding, sink, min: 0);
            long dh = 1, dw = 1;
            bool dOk = true;
            if (max) (dh, dw, dOk) = ArgumentChecks.Pair(layer, name, nameof(MaxPool2dAttribute.Dilation), nameof(MaxPool2dAttribute.DilationH), nameof(MaxPool2dAttribute.DilationW), MaxDefaults.Dilation, sink, min: 1);
            bool ok = sOk && pOk && dOk;
            if (ok)
            {
                // PyTorch: "pad should be at most half of effective kernel size" (max_pool2d without indices, the
                // no-grad path) and "pad should be smaller than or equal to half of kernel size" (avg pooling, and
                // max_pool2d_with_indices, the path training takes): the undilated kernel's half binds both.
                long limitH = kh / 2, limitW = kw / 2;
                if (ph > limitH || pw > limitW)
                {
                    bool h = ph > limitH;
                    bool dilated = max && (h ? dh : dw) > 1;
                    sink.Report(DiagnosticDescriptors.PoolPaddingTooLarge, layer.LocationOf(nameof(MaxPool2dAttribute.Padding)), layer.Kind, name,
                        h ? ph : pw, max && !dilated ? "effective kernel size" : "kernel size", h ? kh : kw, h ? limitH : limitW);
                    ok = false;
                }
            }
            if (!ok) return null;
            return new Pool
            {
                Max = max, KernelH = kh, KernelW = kw, StrideH = sh, StrideW = sw, PaddingH = ph, PaddingW = pw,
                DilationH = dh, DilationW = dw,
                CeilMode = layer.Bool(nameof(MaxPool2dAttribute.CeilMode), max ? MaxDefaults.CeilMode : AvgDefaults.CeilMode),
                CountIncludePad = layer.Bool(nameof(AvgPool2dAttribute.CountIncludePad), AvgDefaults.CountIncludePad),
            };
        }

        private sealed class Pool : LayerConfig
        {
            public bool Max { get; init; }
            public long KernelH { get; init; }
            public long KernelW { get; init; }
            public long StrideH { get; init; }
            public long StrideW { get; init; }
            public long PaddingH { get; init; }
            public long PaddingW { get; init; }
            public long DilationH { get; init; } = 1;
            public long DilationW { get; init; } = 1;
            public bool CeilMode { get; init; }
            public bool CountIncludePad { get; init; } = true;

            public override bool TryAxisSteps(out AxisStep height, out AxisStep width)
            {
                height = AxisStep.Window(KernelH, StrideH, PaddingH, DilationH, CeilMode);
                width = AxisStep.Window(KernelW, StrideW, PaddingW, DilationW, CeilMode);
                return true;
            }

            public override LayerShape? Resolve(LayerInput input)
            {
                if (!input.NeedsFeatureMap()) return null;
                var shape = input.Shape;
                long oh = ShapeMath.PoolOut(shape.Height, KernelH, StrideH, PaddingH, DilationH, CeilMode);
                long ow = ShapeMath.PoolOut(shape.Width, KernelW, StrideW, PaddingW, DilationW, CeilMode);
                string fh = ShapeMath.PoolFormula(shape.Height, KernelH, StrideH, PaddingH, DilationH, CeilMode);
                string fw = ShapeMath.PoolFormula(shape.Width, KernelW, StrideW, PaddingW, DilationW, CeilMode);
                if (!input.SpatialOk(oh, ow, fh, fw)) return null;
                if (!CeilMode)
                {
                    long rows = ShapeMath.DroppedTail(shape.Height, KernelH, StrideH, PaddingH, DilationH);
                    long cols = ShapeMath.DroppedTail(shape.Width, KernelW, StrideW, PaddingW, DilationW);
                    if (rows > 0 || cols > 0)
                        input.Sink.Report(DiagnosticDescriptors.PoolingDropsInput, input.Layer.Location, input.Kind, input.Name,
                            $"{shape.Height}×{shape.Width}", rows, cols, $"{(rows > 0 ? fh : fw)} = {(rows > 0 ? oh : ow)}");
                }
                return new LayerShape(new Shape(shape.Channels, oh, ow), shape.Channels, shape.Channels);
            }

            public override string Construct(string inChannels, string outChannels)
            {
                // Scalar overloads for square pools: see the note in ConvolutionLayers.
                bool square = KernelH == KernelW && StrideH == StrideW && PaddingH == PaddingW && DilationH == DilationW;
                string Pair(long h, long w) => square ? Long(h) : Tuple(h, w);
                // Arguments equal to TorchSharp's defaults are left out, as for convolutions (padding null = 0,
                // dilation null = 1, ceil_mode false, count_include_pad true). The stride is written even where it
                // equals the kernel (both defaults): the call then states the pool's step, as its description does.
                string optional = (PaddingH == 0 && PaddingW == 0 ? "" : $", padding: {Pair(PaddingH, PaddingW)}")
                    + (!Max || (DilationH == 1 && DilationW == 1) ? "" : $", dilation: {Pair(DilationH, DilationW)}")
                    + (CeilMode ? ", ceil_mode: true" : "")
                    + (Max || CountIncludePad ? "" : ", count_include_pad: false");
                return $"{Nn}{(Max ? "MaxPool2d" : "AvgPool2d")}({Pair(KernelH, KernelW)}, stride: {Pair(StrideH, StrideW)}{optional})";
            }

            public override string Export(long inChannels, long outChannels)
                => Notation.Record("Pool2dOp", Bool(Max), Long(KernelH), Long(KernelW), Long(StrideH), Long(StrideW), Long(PaddingH), Long(PaddingW), Long(DilationH), Long(DilationW), Bool(CeilMode), Bool(CountIncludePad));

            public override string Describe(string inChannels, string outChannels)
                => Max
                    ? $"MaxPool2d(kernel_size={PyPair(KernelH, KernelW)}, stride={PyPair(StrideH, StrideW)}, padding={PyPair(PaddingH, PaddingW)}, dilation={PyPair(DilationH, DilationW)}, ceil_mode={PyBool(CeilMode)})"
                    : $"AvgPool2d(kernel_size={PyPair(KernelH, KernelW)}, stride={PyPair(StrideH, StrideW)}, padding={PyPair(PaddingH, PaddingW)}, ceil_mode={PyBool(CeilMode)})";
        }
    }
}
