using System.Globalization;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator.Shapes
{
    /// <summary>
    /// Applies PyTorch's defaults to the arguments written on a layer and rejects what PyTorch would
    /// reject regardless of the input (kernel ≤ 0, stride ≤ 0, p outside [0, 1), Same with stride > 1…).
    /// Returns null when the layer cannot be built.
    /// </summary>
    internal static class GeometryReader
    {
        public static LayerGeometry? Read(LayerSpec layer, string name, DiagnosticSink sink)
        {
            string kind = layer.Kind.ToString();
            bool ok = true;
            switch (layer.Kind)
            {
                case LayerKind.Conv2d:
                case LayerKind.ConvTranspose2d:
                {
                    bool transposed = layer.Kind == LayerKind.ConvTranspose2d;
                    long outChannels = layer.Int("OutChannels", 0);
                    if (layer.Has("OutChannels")) ok &= Positive(layer, kind, name, "OutChannels", sink);
                    var (kh, kw, kOk) = Pair(layer, kind, name, "Kernel", null, sink, min: 1, required: true);
                    var (sh, sw, sOk) = Pair(layer, kind, name, "Stride", 1, sink, min: 1);
                    var (dh, dw, dOk) = Pair(layer, kind, name, "Dilation", 1, sink, min: 1);
                    ok &= kOk && sOk && dOk;
                    long groups = layer.Int("Groups", 1);
                    if (groups < 1) { Invalid(layer, kind, name, "Groups", groups, "it must be at least 1", sink); ok = false; }

                    bool same = !transposed && layer.Int("Padding", 0) == int.MinValue && !layer.Has("PaddingH") && !layer.Has("PaddingW");
                    long ph = 0, pw = 0;
                    if (same)
                    {
                        if (ok && (sh != 1 || sw != 1))
                        {
                            sink.ReportWithProperties(DiagnosticDescriptors.SamePaddingNeedsStrideOne, layer.LocationOf("Padding"), SamePaddingProperties(kh, kw, dh, dw), kind, name,
                                sh == sw ? sh.ToString(CultureInfo.InvariantCulture) : $"{sh}×{sw}",
                                SuggestedPadding(kh, kw, dh, dw));
                            ok = false;
                        }
                    }
                    else
                    {
                        bool pOk;
                        (ph, pw, pOk) = Pair(layer, kind, name, "Padding", 0, sink, min: 0);
                        ok &= pOk;
                    }

                    long oph = 0, opw = 0;
                    if (transposed)
                    {
                        bool oOk;
                        (oph, opw, oOk) = Pair(layer, kind, name, "OutputPadding", 0, sink, min: 0);
                        ok &= oOk;
                        if (ok && ((oph >= sh && oph >= dh) || (opw >= sw && opw >= dw)))
                        {
                            Invalid(layer, kind, name, "OutputPadding", oph >= sh && oph >= dh ? oph : opw,
                                $"output padding must be smaller than either the stride ({sh}×{sw}) or the dilation ({dh}×{dw})", sink);
                            ok = false;
                        }
                    }

                    string paddingMode = layer.Arg("PaddingMode")?.Text ?? "Zeros";
                    return ok ? new LayerGeometry
                    {
                        OutChannels = outChannels, KernelH = kh, KernelW = kw, StrideH = sh, StrideW = sw,
                        PaddingH = ph, PaddingW = pw, SamePadding = same, DilationH = dh, DilationW = dw,
                        OutputPaddingH = oph, OutputPaddingW = opw, Groups = groups,
                        Bias = layer.Bool("Bias", true), PaddingMode = paddingMode,
                    } : null;
                }

                case LayerKind.MaxPool2d:
                case LayerKind.AvgPool2d:
                {
                    bool max = layer.Kind == LayerKind.MaxPool2d;
                    var (kh, kw, kOk) = Pair(layer, kind, name, "Kernel", null, sink, min: 1, required: true);
                    if (!kOk) return null;
                    var (sh, sw, sOk) = Pair(layer, kind, name, "Stride", null, sink, min: 1, fallbackH: kh, fallbackW: kw);
                    var (ph, pw, pOk) = Pair(layer, kind, name, "Padding", 0, sink, min: 0);
                    long dh = 1, dw = 1;
                    bool dOk = true;
                    if (max) (dh, dw, dOk) = Pair(layer, kind, name, "Dilation", 1, sink, min: 1);
                    ok = sOk && pOk && dOk;
                    if (ok)
                    {
                        // PyTorch: "pad should be at most half of effective kernel size" (max) / "of kernel size" (avg).
                        long limitH = max ? ((kh - 1) * dh + 1) / 2 : kh / 2;
                        long limitW = max ? ((kw - 1) * dw + 1) / 2 : kw / 2;
                        if (ph > limitH || pw > limitW)
                        {
                            bool h = ph > limitH;
                            sink.Report(DiagnosticDescriptors.PoolPaddingTooLarge, layer.LocationOf("Padding"), kind, name,
                                h ? ph : pw, max ? "effective kernel size" : "kernel size",
                                max ? (h ? (kh - 1) * dh + 1 : (kw - 1) * dw + 1) : (h ? kh : kw), h ? limitH : limitW);
                            ok = false;
                        }
                    }
                    return ok ? new LayerGeometry
                    {
                        KernelH = kh, KernelW = kw, StrideH = sh, StrideW = sw, PaddingH = ph, PaddingW = pw,
                        DilationH = dh, DilationW = dw, CeilMode = layer.Bool("CeilMode", false),
                        CountIncludePad = layer.Bool("CountIncludePad", true),
                    } : null;
                }

                case LayerKind.AdaptiveAvgPool2d:
                {
                    long oh = layer.Int("OutputHeight", 0), ow = layer.Int("OutputWidth", 0);
                    if (!layer.Has("OutputHeight") || !layer.Has("OutputWidth"))
                    {
                        Invalid(layer, kind, name, "OutputHeight/OutputWidth", "missing", "give the output size, e.g. [AdaptiveAvgPool2d(6, 6)]", sink);
                        return null;
                    }
                    ok &= Positive(layer, kind, name, "OutputHeight", sink) & Positive(layer, kind, name, "OutputWidth", sink);
                    return ok ? new LayerGeometry { OutputHeight = oh, OutputWidth = ow } : null;
                }

                case LayerKind.GlobalAvgPool:
                    return new LayerGeometry { OutputHeight = 1, OutputWidth = 1 };

                case LayerKind.BatchNorm2d:
                case LayerKind.BatchNorm1d:
                {
                    if (layer.Has("NumFeatures")) ok &= Positive(layer, kind, name, "NumFeatures", sink);
                    double eps = layer.Real("Eps", 1e-5);
                    if (!(eps > 0)) { Invalid(layer, kind, name, "Eps", eps, "it must be positive", sink); ok = false; }
                    double momentum = layer.Real("Momentum", 0.1);
                    if (!(momentum >= 0 && momentum <= 1)) { Invalid(layer, kind, name, "Momentum", momentum, "it must be in [0, 1]", sink); ok = false; }
                    return ok ? new LayerGeometry
                    {
                        DeclaredInFeatures = layer.Int("NumFeatures", 0), Eps = eps, Momentum = momentum,
                        Affine = layer.Bool("Affine", true), TrackRunningStats = layer.Bool("TrackRunningStats", true),
                    } : null;
                }

                case LayerKind.Dropout:
                case LayerKind.Dropout2d:
                {
                    double p = layer.Real("P", 0.5);
                    if (!(p >= 0 && p < 1))
                    {
                        Invalid(layer, kind, name, "P", p, "a drop probability must be in [0, 1)", sink);
                        return null;
                    }
                    return new LayerGeometry { Real = p };
                }

                case LayerKind.Linear:
                {
                    ok &= Positive(layer, kind, name, "OutFeatures", sink);
                    if (layer.Has("InFeatures")) ok &= Positive(layer, kind, name, "InFeatures", sink);
                    return ok ? new LayerGeometry
                    {
                        OutChannels = layer.Int("OutFeatures", 0), DeclaredInFeatures = layer.Int("InFeatures", 0),
                        Bias = layer.Bool("Bias", true),
                    } : null;
                }

                case LayerKind.Upsample:
                {
                    bool byScale = layer.Has("ScaleFactor");
                    bool bySize = layer.Has("Height") || layer.Has("Width");
                    string mode = layer.Arg("Mode")?.Text ?? "Nearest";
                    if (byScale == bySize)
                    {
                        Invalid(layer, kind, name, "ScaleFactor/Height/Width", byScale ? "both" : "neither",
                            "give either ScaleFactor or Height and Width", sink);
                        return null;
                    }
                    if (byScale && !(layer.Real("ScaleFactor", 0) > 0)) { Invalid(layer, kind, name, "ScaleFactor", layer.Real("ScaleFactor", 0), "it must be positive", sink); ok = false; }
                    if (bySize) ok &= Positive(layer, kind, name, "Height", sink) & Positive(layer, kind, name, "Width", sink);
                    bool align = layer.Bool("AlignCorners", false);
                    if (align && mode == "Nearest") { Invalid(layer, kind, name, "AlignCorners", "true", "align_corners applies only to Bilinear and Bicubic modes", sink); ok = false; }
                    return ok ? new LayerGeometry
                    {
                        Real = byScale ? layer.Real("ScaleFactor", 0) : 0,
                        OutputHeight = layer.Int("Height", 0), OutputWidth = layer.Int("Width", 0),
                        UpsampleMode = mode, AlignCorners = align,
                    } : null;
                }

                case LayerKind.ELU:
                    return new LayerGeometry { Real = layer.Real("Alpha", 1.0) };
                case LayerKind.LeakyReLU:
                    return new LayerGeometry { Real = layer.Real("NegativeSlope", 0.01) };
                case LayerKind.Softmax:
                case LayerKind.LogSoftmax:
                    return new LayerGeometry { Dim = layer.Int("Dim", 1) };
                case LayerKind.Block:
                {
                    long repeat = layer.Int("Repeat", 1);
                    if (repeat < 1) { Invalid(layer, "Use<" + layer.Block?.TypeName + ">", name, "Repeat", repeat, "it must be at least 1", sink); return null; }
                    return new LayerGeometry { Repeat = repeat };
                }
                default:
                    return new LayerGeometry();
            }
        }

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

        /// <summary>Reads a square value with optional …H/…W overrides.</summary>
        private static (long H, long W, bool Ok) Pair(LayerSpec layer, string kind, string name, string property, long? fallback,
            DiagnosticSink sink, long min, bool required = false, long fallbackH = 0, long fallbackW = 0)
        {
            bool hasSquare = layer.Has(property);
            long square = layer.Int(property, fallback ?? 0);
            long h = layer.Has(property + "H") ? layer.Int(property + "H", 0) : hasSquare ? square : fallback ?? fallbackH;
            long w = layer.Has(property + "W") ? layer.Int(property + "W", 0) : hasSquare ? square : fallback ?? fallbackW;
            if (required && !hasSquare && (!layer.Has(property + "H") || !layer.Has(property + "W")))
            {
                Invalid(layer, kind, name, property, "missing", $"set {property} (or {property}H and {property}W)", sink);
                return (h, w, false);
            }
            foreach (var (suffix, value) in new[] { ("H", h), ("W", w) })
            {
                if (value >= min) continue;
                string written = layer.Has(property + suffix) ? property + suffix : property;
                Invalid(layer, kind, name, written, value == int.MinValue ? "Pad.Same" : value.ToString(CultureInfo.InvariantCulture),
                    value == int.MinValue ? "Pad.Same applies only to Conv2d" : $"it must be at least {min}", sink, written);
                return (h, w, false);
            }
            return (h, w, true);
        }

        private static bool Positive(LayerSpec layer, string kind, string name, string property, DiagnosticSink sink)
        {
            long value = layer.Int(property, 0);
            if (value > 0) return true;
            Invalid(layer, kind, name, property, value, "it must be positive", sink);
            return false;
        }

        private static void Invalid(LayerSpec layer, string kind, string name, string property, object value, string requirement, DiagnosticSink sink, string? argument = null)
        {
            string shown = value is double d ? d.ToString("R", CultureInfo.InvariantCulture) : System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            sink.Report(DiagnosticDescriptors.InvalidLayerArgument, layer.LocationOf(argument ?? property), kind, name, property, shown, requirement);
        }
    }
}
