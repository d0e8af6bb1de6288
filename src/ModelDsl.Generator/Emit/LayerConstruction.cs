using System.Globalization;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Emit
{
    /// <summary>
    /// The TorchSharp constructor call, module type and PyTorch-style description of a layer. Channel
    /// counts come in as C# expressions so a block can be built from its <c>channels</c> argument.
    /// </summary>
    internal static class LayerConstruction
    {
        private const string Nn = "global::TorchSharp.torch.nn.";

        public static string TypeName(LayerKind kind) => kind switch
        {
            LayerKind.GlobalAvgPool => "global::TorchSharp.Modules.AdaptiveAvgPool2d",
            _ => "global::TorchSharp.Modules." + kind,
        };

        /// <summary>A residual block's 1×1 projection: its stride is the block constructor's parameters, known only where the block is used.</summary>
        public static string ProjectionShortcutConv(string inExpr, string outExpr)
            => $"{Nn}Conv2d({inExpr}, {outExpr}, (1, 1), stride: (shortcutStrideH, shortcutStrideW), padding: (0, 0), dilation: (1, 1), padding_mode: global::TorchSharp.PaddingModes.Zeros, groups: 1, bias: false)";

        public static string Call(LayerKind kind, LayerGeometry g, string inExpr, string outExpr)
        {
            // TorchSharp has a scalar overload next to each tuple one. Tuple literals make the compiler try
            // tuple conversions against every overload, which made generated modules several times slower
            // to compile than hand-written ones; a square layer therefore uses the scalar overload.
            bool square = g.KernelH == g.KernelW && g.StrideH == g.StrideW && g.PaddingH == g.PaddingW
                && g.DilationH == g.DilationW && g.OutputPaddingH == g.OutputPaddingW;
            string Pair(long h, long w) => square ? L(h) : Tuple(h, w);
            switch (kind)
            {
                case LayerKind.Conv2d:
                    // 'same' whose total padding is even on both axes is plain symmetric padding; emitting the
                    // number keeps TorchSharp on its explicit-padding path, which (unlike its Same path in 0.107)
                    // applies a non-zero padding mode to the right axes. Only odd totals (even effective kernels)
                    // need the asymmetric Same path.
                    long totalH = g.DilationH * (g.KernelH - 1), totalW = g.DilationW * (g.KernelW - 1);
                    bool symmetricSame = g.SamePadding && totalH % 2 == 0 && totalW % 2 == 0;
                    if (symmetricSame)
                        return $"{Nn}Conv2d({inExpr}, {outExpr}, {Pair(g.KernelH, g.KernelW)}, stride: {Pair(1, 1)}{ConvPadding(Pair(totalH / 2, totalW / 2))}, dilation: {Pair(g.DilationH, g.DilationW)}, padding_mode: global::TorchSharp.PaddingModes.{g.PaddingMode}, groups: {L(g.Groups)}, bias: {B(g.Bias)})";
                    return g.SamePadding
                        ? $"{Nn}Conv2d({inExpr}, {outExpr}, {Tuple(g.KernelH, g.KernelW)}, global::TorchSharp.Padding.Same, stride: {Tuple(1, 1)}, dilation: {Tuple(g.DilationH, g.DilationW)}, padding_mode: global::TorchSharp.PaddingModes.{g.PaddingMode}, groups: {L(g.Groups)}, bias: {B(g.Bias)})"
                        : $"{Nn}Conv2d({inExpr}, {outExpr}, {Pair(g.KernelH, g.KernelW)}, stride: {Pair(g.StrideH, g.StrideW)}{ConvPadding(Pair(g.PaddingH, g.PaddingW))}, dilation: {Pair(g.DilationH, g.DilationW)}, padding_mode: global::TorchSharp.PaddingModes.{g.PaddingMode}, groups: {L(g.Groups)}, bias: {B(g.Bias)})";
                case LayerKind.ConvTranspose2d:
                    return $"{Nn}ConvTranspose2d({inExpr}, {outExpr}, {Pair(g.KernelH, g.KernelW)}, stride: {Pair(g.StrideH, g.StrideW)}, padding: {Pair(g.PaddingH, g.PaddingW)}, output_padding: {Pair(g.OutputPaddingH, g.OutputPaddingW)}, dilation: {Pair(g.DilationH, g.DilationW)}, groups: {L(g.Groups)}, bias: {B(g.Bias)})";
                case LayerKind.MaxPool2d:
                    return $"{Nn}MaxPool2d({Pair(g.KernelH, g.KernelW)}, stride: {Pair(g.StrideH, g.StrideW)}, padding: {Pair(g.PaddingH, g.PaddingW)}, dilation: {Pair(g.DilationH, g.DilationW)}, ceil_mode: {B(g.CeilMode)})";
                case LayerKind.AvgPool2d:
                    return $"{Nn}AvgPool2d({Pair(g.KernelH, g.KernelW)}, stride: {Pair(g.StrideH, g.StrideW)}, padding: {Pair(g.PaddingH, g.PaddingW)}, ceil_mode: {B(g.CeilMode)}, count_include_pad: {B(g.CountIncludePad)})";
                case LayerKind.AdaptiveAvgPool2d:
                case LayerKind.GlobalAvgPool:
                    return $"{Nn}AdaptiveAvgPool2d({(g.OutputHeight == g.OutputWidth ? L(g.OutputHeight) : Tuple(g.OutputHeight, g.OutputWidth))})";
                case LayerKind.BatchNorm2d:
                case LayerKind.BatchNorm1d:
                    return $"{Nn}{kind}({inExpr}, eps: {D(g.Eps)}, momentum: {D(g.Momentum)}, affine: {B(g.Affine)}, track_running_stats: {B(g.TrackRunningStats)})";
                case LayerKind.Dropout:
                case LayerKind.Dropout2d:
                    return $"{Nn}{kind}({D(g.Real)})";
                case LayerKind.Flatten:
                    return $"{Nn}Flatten()";
                case LayerKind.Linear:
                    return $"{Nn}Linear({inExpr}, {outExpr}, hasBias: {B(g.Bias)})";
                case LayerKind.Upsample:
                    string align = g.UpsampleMode == "Nearest" ? "null" : B(g.AlignCorners);
                    return g.Real > 0
                        ? $"{Nn}Upsample(scale_factor: new double[] {{ {D(g.Real)}, {D(g.Real)} }}, mode: global::TorchSharp.torch.UpsampleMode.{g.UpsampleMode}, align_corners: {align})"
                        : $"{Nn}Upsample(size: new long[] {{ {L(g.OutputHeight)}, {L(g.OutputWidth)} }}, mode: global::TorchSharp.torch.UpsampleMode.{g.UpsampleMode}, align_corners: {align})";
                case LayerKind.ELU:
                    return $"{Nn}ELU({D(g.Real)})";
                case LayerKind.LeakyReLU:
                    return $"{Nn}LeakyReLU({D(g.Real)})";
                case LayerKind.Softmax:
                case LayerKind.LogSoftmax:
                    return $"{Nn}{kind}({L(g.Dim)})";
                default: // ReLU, Sigmoid, Tanh, GELU, SiLU, Identity
                    return $"{Nn}{kind}()";
            }
        }

        /// <summary>What PyTorch's <c>repr</c> prints for the layer, for docs and summaries.</summary>
        public static string Describe(LayerKind kind, LayerGeometry g, long inC, long outC) => kind switch
        {
            LayerKind.Conv2d => $"Conv2d({inC}, {outC}, kernel_size={T(g.KernelH, g.KernelW)}, stride={T(g.StrideH, g.StrideW)}, padding={(g.SamePadding ? "same" : T(g.PaddingH, g.PaddingW))}" +
                                (g.DilationH != 1 || g.DilationW != 1 ? $", dilation={T(g.DilationH, g.DilationW)}" : "") +
                                (g.Groups != 1 ? $", groups={g.Groups}" : "") + (g.Bias ? "" : ", bias=False") +
                                (g.PaddingMode != "Zeros" ? $", padding_mode={g.PaddingMode.ToLowerInvariant()}" : "") + ")",
            LayerKind.ConvTranspose2d => $"ConvTranspose2d({inC}, {outC}, kernel_size={T(g.KernelH, g.KernelW)}, stride={T(g.StrideH, g.StrideW)}, padding={T(g.PaddingH, g.PaddingW)}, output_padding={T(g.OutputPaddingH, g.OutputPaddingW)})",
            LayerKind.MaxPool2d => $"MaxPool2d(kernel_size={T(g.KernelH, g.KernelW)}, stride={T(g.StrideH, g.StrideW)}, padding={T(g.PaddingH, g.PaddingW)}, dilation={T(g.DilationH, g.DilationW)}, ceil_mode={Py(g.CeilMode)})",
            LayerKind.AvgPool2d => $"AvgPool2d(kernel_size={T(g.KernelH, g.KernelW)}, stride={T(g.StrideH, g.StrideW)}, padding={T(g.PaddingH, g.PaddingW)}, ceil_mode={Py(g.CeilMode)})",
            LayerKind.AdaptiveAvgPool2d or LayerKind.GlobalAvgPool => $"AdaptiveAvgPool2d(output_size={T(g.OutputHeight, g.OutputWidth)})",
            LayerKind.BatchNorm2d or LayerKind.BatchNorm1d => $"{kind}({inC}, eps={D(g.Eps)}, momentum={D(g.Momentum)}, affine={Py(g.Affine)}, track_running_stats={Py(g.TrackRunningStats)})",
            LayerKind.Dropout or LayerKind.Dropout2d => $"{kind}(p={D(g.Real)})",
            LayerKind.Flatten => "Flatten(start_dim=1, end_dim=-1)",
            LayerKind.Linear => $"Linear(in_features={inC}, out_features={outC}, bias={Py(g.Bias)})",
            LayerKind.Upsample => g.Real > 0 ? $"Upsample(scale_factor={D(g.Real)}, mode='{g.UpsampleMode.ToLowerInvariant()}')" : $"Upsample(size={T(g.OutputHeight, g.OutputWidth)}, mode='{g.UpsampleMode.ToLowerInvariant()}')",
            LayerKind.ELU => $"ELU(alpha={D(g.Real)})",
            LayerKind.LeakyReLU => $"LeakyReLU(negative_slope={D(g.Real)})",
            LayerKind.Softmax or LayerKind.LogSoftmax => $"{kind}(dim={g.Dim})",
            _ => $"{kind}()",
        };

        // A constant 0 converts to any enum, so "padding: 0" would also match the overload taking
        // TorchSharp.Padding and make the call ambiguous; 0 is the default anyway.
        private static string ConvPadding(string padding) => padding == "0" ? "" : ", padding: " + padding;
        private static string Tuple(long h, long w) => $"({L(h)}, {L(w)})";
        private static string T(long h, long w) => $"({h}, {w})";
        private static string L(long v) => v.ToString(CultureInfo.InvariantCulture);
        private static string B(bool v) => v ? "true" : "false";
        private static string Py(bool v) => v ? "True" : "False";

        public static string D(double v)
        {
            string s = v.ToString("R", CultureInfo.InvariantCulture);
            return s.Contains(".") || s.Contains("E") ? s : s + ".0";
        }
    }
}
