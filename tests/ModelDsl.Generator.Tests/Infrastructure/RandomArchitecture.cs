using System.Text;

namespace ModelDsl.Generator.Tests.Infrastructure;

/// <summary>
/// A seeded random net that PyTorch accepts, over every layer kind and argument: square and rectangular
/// kernels, strides, padding (incl. Same with odd and even kernels) and dilation, groups, all padding
/// modes, kept channel counts, transposed convs with output padding, dilation and groups, pools with
/// ceil mode, adaptive and global pools, batch-norm options, upsampling by scale and by size in every
/// mode, blocks with and without projection, stages, then sometimes a flat head.
/// It tracks the shape with PyTorch's formulas, written out here independently of the generator's
/// ShapeMath, only to keep every layer's output non-empty; the property test compares the generator's
/// answer with TorchSharp, not with this tracking.
/// </summary>
public sealed class RandomArchitecture
{
    /// <summary>Blocks the random nets may use (declared once per compilation).</summary>
    public const string Blocks = """
        using ModelDsl;
        namespace Props
        {
            [Block, Residual(Then = Act.ReLU)]
            [Conv2d(Kernel = 3, Padding = 1), BatchNorm2d, ReLU, Conv2d(Kernel = 3, Padding = 1)]
            public partial class Same;

            [Block, Residual(Then = Act.ReLU, Projection = true)]
            [Conv2d(8, 3, Stride = 2, Padding = 1, Bias = false), BatchNorm2d, ReLU, Conv2d(Kernel = 3, Padding = Pad.Same)]
            public partial class Down8;

            [Block]
            [Conv2d(Kernel = 1, Bias = false), BatchNorm2d, SiLU]
            public partial class Mix;

            // Generator v3: parameters, expressions, conditions, computed keys, taps and merges, blocks in blocks.
            [Block(Params = "Out, Kernel = 3, Stride = 1, Groups = 1")]
            [Conv2d(OutChannels = "Out", Kernel = "Kernel", Stride = "Stride", Padding = "(Kernel - 1) / 2", Groups = "Groups", Bias = false, Key = "0")]
            [BatchNorm2d(Key = "1"), ReLU6(Key = "2")]
            public partial class PConv;

            [Block(Params = "Out, Stride, Expand")]
            [Tap("x"), Use<PConv>("In * Expand, 1", Key = "0", When = "Expand != 1")]
            [Use<PConv>("In * Expand, 3, Stride, In * Expand", Key = "(Expand != 1)")]
            [Conv2d(OutChannels = "Out", Kernel = 1, Bias = false, Key = "(Expand != 1) + 1"), BatchNorm2d(Key = "(Expand != 1) + 2")]
            [Add("x", When = "Stride == 1 && In == Out")]
            public partial class PInvRes;

            [Block(Params = "R = 2")]
            [Tap("x"), GlobalAvgPool, Conv2d(OutChannels = "max(1, In / R)", Kernel = 1), ReLU, Conv2d(OutChannels = "In", Kernel = 1), Hardsigmoid, Multiply("x")]
            public partial class PGate;

            [Block(Params = "S, E")]
            [Conv2d(OutChannels = "S", Kernel = 1), ReLU, Tap("s"), Conv2d(OutChannels = "E", Kernel = 1), Tap("e")]
            [From("s"), Conv2d(OutChannels = "E", Kernel = 3, Padding = 1), Use<PGate>("R = 1"), Concat("e", Order = ConcatOrder.TapFirst)]
            public partial class PFire;

            [Block]
            [Chunk("a", "b"), From("b"), Conv2d(Kernel = 3, Padding = 1), Concat("a", Order = ConcatOrder.TapFirst), ChannelShuffle(2)]
            public partial class PShuffle;

            // ConvNeXt's block: pointwise Linears on each pixel's channels, a bare layer_scale parameter, stochastic depth.
            [Block(Params = "E = 4")]
            [Tap("x"), Conv2d(Kernel = 3, Padding = 1, Groups = "In"), LayerNorm2d(Eps = 1e-6), PointwiseLinear(OutFeatures = "E * In"), GELU]
            [PointwiseLinear(OutFeatures = "In"), LayerScale(0.5, Key = "layer_scale"), StochasticDepth(0.1), Add("x")]
            public partial class PCN;
        }

        """;

    private static readonly string[] Activations = { "ReLU", "LeakyReLU(0.1)", "LeakyReLU", "GELU", "SiLU", "Tanh", "Sigmoid", "ELU", "ELU(Alpha = 0.5)", "Identity",
        "ReLU6", "Hardswish", "Hardsigmoid", "Mish", "Hardtanh", "Hardtanh(-0.5, 0.25)", "Softplus", "Softplus(Beta = 2, Threshold = 1)", "PReLU", "PReLU(Init = 0.1)" };
    private static readonly string[] PaddingModes = { "Reflect", "Replicate", "Circular" };

    private readonly Random _rng;
    private readonly List<string> _layers = new();
    private readonly string _model;

    public RandomArchitecture(int seed)
    {
        _rng = new Random(seed);
        if (_rng.Next(8) == 0) { _model = BuildFlat(); return; }
        long c = Pick(1, 3, 4), h = _rng.Next(6, 41), w = _rng.Next(6, 41);
        _model = $"[Model(Channels = {c}, Height = {h}, Width = {w})]";
        int count = _rng.Next(1, 9);
        for (int i = 0; i < count; i++)
        {
            bool stage = _rng.Next(5) == 0;
            var layer = NextMapLayer(ref c, ref h, ref w);
            if (layer is null) continue;
            if (stage) _layers.Add($"[Stage(\"S{i}\")]");
            _layers.Add($"[{layer}]");
        }
        if (_layers.Count == 0) _layers.Add("[ReLU]");
        if (_rng.Next(3) > 0) AddHead(c * h * w, c);
    }

    public string Declaration(string name)
        => $"namespace Props\n{{\n    {_model}\n    {string.Join("\n    ", _layers)}\n    public partial class {name};\n}}\n";

    private string BuildFlat()
    {
        long f = _rng.Next(1, 65);
        AddHead(f, channelsIfPooled: null);
        return $"[Model(Features = {f})]";
    }

    private void AddHead(long flatFeatures, long? channelsIfPooled)
    {
        var head = new List<string>();
        if (channelsIfPooled is { } c)
        {
            if (_rng.Next(2) == 0) { head.Add("GlobalAvgPool"); flatFeatures = c; }
            head.Add("Flatten");
        }
        int hidden = _rng.Next(0, 3);
        for (int i = 0; i < hidden; i++)
        {
            long n = _rng.Next(1, 33);
            head.Add(_rng.Next(3) == 0 ? $"Linear({n}, InFeatures = {flatFeatures})" : $"Linear({n}{(_rng.Next(4) == 0 ? ", Bias = false" : "")})");
            flatFeatures = n;
            if (_rng.Next(3) == 0) head.Add(Pick("BatchNorm1d", $"BatchNorm1d({n})", "BatchNorm1d(Affine = false)", "BatchNorm1d(TrackRunningStats = false, Momentum = 0.3)"));
            if (_rng.Next(3) == 0) head.Add($"Dropout({_rng.Next(1, 9) / 10.0:0.0})");
            head.Add(Activations[_rng.Next(Activations.Length)]);
        }
        head.Add($"Linear({_rng.Next(1, 11)})");
        switch (_rng.Next(8))
        {
            case 0: head.Add("LogSoftmax"); break;
            case 1: head.Add("LogSoftmax(Dim = -1)"); break;
            case 2: head.Add("Softmax"); break;
        }
        _layers.Add($"[{string.Join(", ", head)}]");
    }

    private string? NextMapLayer(ref long c, ref long h, ref long w)
    {
        switch (_rng.Next(17))
        {
            case 15:
                switch (_rng.Next(4))
                {
                    case 0: return $"PReLU({c})";
                    case 1: return $"StochasticDepth({_rng.Next(0, 9) / 10.0:0.0}{Pick("", ", Mode = StochasticDepthMode.Batch")})";
                    case 2: return Pick("LayerScale", "LayerScale(0.5)", "LayerScale(-2, Key = \"layer_scale\")");
                    default:
                        c = Pick(c, 3, 5);
                        return Pick($"PointwiseLinear({c})", $"PointwiseLinear({c}, Bias = false)");
                }
            case 13: return FeatureNorm(c, h, w);
            case 14: return Padding(ref h, ref w);
            case 0: case 1: case 2: case 3: return Conv(ref c, ref h, ref w);
            case 4: return ConvTranspose(ref c, ref h, ref w);
            case 5: case 6: return Pool(max: true, ref h, ref w);
            case 7: return Pool(max: false, ref h, ref w);
            case 8:
            {
                long oh = _rng.Next(1, 5), ow = _rng.Next(1, 5);
                h = oh; w = ow;
                return oh == ow && _rng.Next(2) == 0 ? $"AdaptiveAvgPool2d({oh})" : $"AdaptiveAvgPool2d({oh}, {ow})";
            }
            case 9: return Pick("BatchNorm2d", $"BatchNorm2d({c})", "BatchNorm2d(Affine = false)", "BatchNorm2d(Eps = 0.001, Momentum = 0.2)", "BatchNorm2d(TrackRunningStats = false)");
            case 10: return _rng.Next(2) == 0 ? $"Dropout2d({_rng.Next(1, 6) / 10.0:0.0})" : Activations[_rng.Next(Activations.Length)];
            case 11:
                if (h > 20 || w > 20) return "ReLU";
                if (_rng.Next(2) == 0)
                {
                    // PyTorch: ⌊in · scale⌋ per axis.
                    double scale = Pick(2.0, 1.5, 3.0);
                    h = (long)Math.Floor(h * scale); w = (long)Math.Floor(w * scale);
                    string mode = Pick("", ", Mode = UpsampleMode.Bilinear", ", Mode = UpsampleMode.Bicubic, AlignCorners = true");
                    return $"Upsample({scale:0.0}{mode})";
                }
                h = _rng.Next(1, 25); w = _rng.Next(1, 25);
                return Pick($"Upsample(Height = {h}, Width = {w})",
                    $"Upsample(Height = {h}, Width = {w}, Mode = UpsampleMode.Bilinear, AlignCorners = {(_rng.Next(2) == 0 ? "true" : "false")})",
                    $"Upsample(Height = {h}, Width = {w}, Mode = UpsampleMode.Bicubic)");
            case 12:
                switch (_rng.Next(8))
                {
                    case 0: return $"Use<Same>(Repeat = {_rng.Next(1, 3)})";
                    case 1:
                        c = 8; h = (h - 1) / 2 + 1; w = (w - 1) / 2 + 1;
                        return "Use<Down8>";
                    case 2:
                    {
                        // PyTorch: with padding (k − 1)/2 and an odd kernel, ⌊(n − 1)/s⌋ + 1.
                        long o = Pick(c, 4, 6), k = Pick(1, 3, 5), s = Pick(1, 2);
                        string groups = o == c && _rng.Next(2) == 0 ? $", Groups = {c}" : "";
                        c = o; h = (h - 1) / s + 1; w = (w - 1) / s + 1;
                        return $"Use<PConv>(\"{o}, {k}, Stride = {s}{groups}\")";
                    }
                    case 3:
                    {
                        long o = Pick(c, 4, 8), s = Pick(1, 2), t = Pick(1, 2, 3);
                        c = o; h = (h - 1) / s + 1; w = (w - 1) / s + 1;
                        return $"Use<PInvRes>(\"{o}, {s}, {t}\")";
                    }
                    case 4: return Pick("Use<PGate>", "Use<PGate>(\"R = 4\")");
                    case 5:
                        // A chunk needs an even channel count: an odd one is widened first.
                        if (c % 2 == 0) return "Use<PShuffle>";
                        c = 8;
                        return "Use<PConv>(\"8, 1\"), Use<PShuffle>";
                    case 6: return Pick("Use<PCN>", "Use<PCN>(\"2\")");
                    default:
                    {
                        long e = Pick(2, 4);
                        c = 2 * e;
                        return $"Use<PFire>(\"{Pick(2, 3)}, {e}\")";
                    }
                }
            default: return "Use<Mix>";
        }
    }

    /// <summary>A padding layer: all sides or each on its own; reflection only with every side smaller than its axis.</summary>
    private string Padding(ref long h, ref long w)
    {
        long l = _rng.Next(0, 4), r = _rng.Next(0, 4), t = _rng.Next(0, 4), b = _rng.Next(0, 4);
        bool uniform = _rng.Next(2) == 0;
        if (uniform) r = t = b = l;
        string kind = Pick("ZeroPad2d", "ConstantPad2d", "ReflectionPad2d", "ReplicationPad2d");
        if (kind == "ReflectionPad2d" && (Math.Max(t, b) >= h || Math.Max(l, r) >= w)) kind = "ReplicationPad2d";
        h += t + b; w += l + r;
        string sides = uniform ? $"{l}" : $"Left = {l}, Right = {r}, Top = {t}, Bottom = {b}";
        return kind == "ConstantPad2d"
            ? (uniform ? $"ConstantPad2d({l}, {_rng.Next(-3, 4) / 2.0:0.0})" : $"ConstantPad2d({sides}, Value = 1.5)")
            : $"{kind}({sides})";
    }

    /// <summary>GroupNorm (groups dividing the channels), InstanceNorm2d (only on maps of more than one pixel: PyTorch refuses one in training) or LayerNorm2d.</summary>
    private string FeatureNorm(long c, long h, long w)
    {
        var divisors = Enumerable.Range(1, (int)c).Where(d => c % d == 0).ToArray();
        long g = divisors[_rng.Next(divisors.Length)];
        var choices = new List<string> { $"GroupNorm({g})", $"GroupNorm({g}, NumChannels = {c}, Affine = false, Eps = 0.001)", "LayerNorm2d", "LayerNorm2d(Eps = 1e-6)", $"LayerNorm2d({c}, ElementwiseAffine = false)" };
        if (h * w > 1) choices.AddRange(new[] { "InstanceNorm2d", $"InstanceNorm2d({c}, Affine = true)", "InstanceNorm2d(TrackRunningStats = true, Momentum = 0.2)" });
        return choices[_rng.Next(choices.Count)];
    }

    private string? Conv(ref long c, ref long h, ref long w)
    {
        bool keepChannels = _rng.Next(8) == 0;
        long outC = keepChannels ? c : _rng.Next(1, 17);
        bool rect = _rng.Next(4) == 0;
        long kh = Pick(1, 2, 3, 4, 5), kw = rect ? Pick(1, 2, 3, 4, 5) : kh;
        long sh = _rng.Next(3) == 0 ? 2 : 1, sw = _rng.Next(8) == 0 ? Pick(1, 2, 3) : sh;
        long dh = _rng.Next(5) == 0 ? 2 : 1, dw = _rng.Next(8) == 0 ? Pick(1, 2, 3) : dh;
        long groups = 1;
        if (c % 2 == 0 && _rng.Next(3) == 0) { if (!keepChannels) outC = outC + outC % 2; groups = 2; }
        var args = new List<string>();
        if (!keepChannels) args.Add($"{outC}");
        args.Add(rect ? $"KernelH = {kh}, KernelW = {kw}" : $"Kernel = {kh}");
        long ph, pw;
        bool same = sh == 1 && sw == 1 && _rng.Next(3) == 0;
        if (same) { ph = pw = 0; args.Add("Padding = Pad.Same"); }
        else
        {
            ph = _rng.Next(0, (int)kh / 2 + 2); pw = rect ? _rng.Next(0, (int)kw / 2 + 2) : ph;
            if (rect) args.Add($"PaddingH = {ph}, PaddingW = {pw}");
            else if (ph > 0) args.Add($"Padding = {ph}");
        }
        if (sh != sw) args.Add($"StrideH = {sh}, StrideW = {sw}");
        else if (sh != 1) args.Add($"Stride = {sh}");
        if (dh != dw) args.Add($"DilationH = {dh}, DilationW = {dw}");
        else if (dh != 1) args.Add($"Dilation = {dh}");
        if (groups != 1) args.Add($"Groups = {groups}");
        if (_rng.Next(5) == 0) args.Add("Bias = false");
        bool paddedSomewhere = same || ph > 0 || pw > 0;
        if (paddedSomewhere && _rng.Next(4) == 0)
        {
            string mode = PaddingModes[_rng.Next(PaddingModes.Length)];
            // Reflect needs the padding smaller than the input; keep it simple and only use modes on inputs larger than any padding.
            long maxPad = same ? Math.Max(dh * (kh - 1), dw * (kw - 1)) : Math.Max(ph, pw);
            if (h > maxPad && w > maxPad) args.Add($"PaddingMode = PaddingMode.{mode}");
        }
        long spanH = h + 2 * ph - dh * (kh - 1) - 1, spanW = w + 2 * pw - dw * (kw - 1) - 1;
        if (!same && (spanH < 0 || spanW < 0)) return null;
        long oh = same ? h : spanH / sh + 1;
        long ow = same ? w : spanW / sw + 1;
        c = outC; h = oh; w = ow;
        return $"Conv2d({string.Join(", ", args)})";
    }

    private string? ConvTranspose(ref long c, ref long h, ref long w)
    {
        if (h > 20 || w > 20) return null;
        long outC = _rng.Next(1, 13), kh = Pick(2, 3, 4), kw = _rng.Next(4) == 0 ? Pick(1, 2, 3, 4) : kh;
        // One draw in four is rectangular in stride and output padding (TorchSharp's own module would apply
        // the height's output padding to both axes; the generator emits OutputPaddedConvTranspose2d for it).
        bool rectangular = _rng.Next(4) == 0;
        long sh = Pick(1, 2), sw = rectangular ? Pick(1, 2, 3) : sh;
        long padding = _rng.Next(0, (int)Math.Min(kh, kw) / 2 + 1);
        long dilation = _rng.Next(5) == 0 ? 2 : 1;
        // PyTorch: output padding must be smaller than the stride or the dilation (per axis).
        long oph = Math.Max(sh, dilation) > 1 ? _rng.Next(0, (int)Math.Max(sh, dilation)) : 0;
        long opw = !rectangular ? oph : Math.Max(sw, dilation) > 1 ? _rng.Next(0, (int)Math.Max(sw, dilation)) : 0;
        long groups = c % 2 == 0 && _rng.Next(4) == 0 ? 2 : 1;
        if (groups == 2) outC += outC % 2;
        long oh = (h - 1) * sh - 2 * padding + dilation * (kh - 1) + oph + 1;
        long ow = (w - 1) * sw - 2 * padding + dilation * (kw - 1) + opw + 1;
        if (oh < 1 || ow < 1) return null;
        c = outC; h = oh; w = ow;
        var args = new List<string> { $"{outC}", kh == kw ? $"{kh}" : $"KernelH = {kh}, KernelW = {kw}",
            sh == sw ? $"Stride = {sh}" : $"StrideH = {sh}, StrideW = {sw}", $"Padding = {padding}",
            oph == opw ? $"OutputPadding = {oph}" : $"OutputPaddingH = {oph}, OutputPaddingW = {opw}" };
        if (dilation != 1) args.Add($"Dilation = {dilation}");
        if (groups != 1) args.Add($"Groups = {groups}");
        if (_rng.Next(5) == 0) args.Add("Bias = false");
        return $"ConvTranspose2d({string.Join(", ", args)})";
    }

    private string? Pool(bool max, ref long h, ref long w)
    {
        long k = Pick(2, 3), kw = _rng.Next(5) == 0 ? Pick(1, 2, 3) : k;
        long stride = Pick(1, 2, k), padding = _rng.Next(0, (int)Math.Min(k, kw) / 2 + 1);
        long dilation = max && _rng.Next(5) == 0 ? 2 : 1;
        bool ceil = _rng.Next(3) == 0;
        long oh = PoolOut(h, k, stride, padding, dilation, ceil), ow = PoolOut(w, kw, stride, padding, dilation, ceil);
        if (oh < 1 || ow < 1) return null;
        h = oh; w = ow;
        var args = new List<string> { kw == k ? $"{k}" : $"KernelH = {k}, KernelW = {kw}" };
        if (stride != k || kw != k || _rng.Next(2) == 0) args.Add($"Stride = {stride}");
        if (padding > 0) args.Add($"Padding = {padding}");
        if (dilation > 1) args.Add($"Dilation = {dilation}");
        if (ceil) args.Add("CeilMode = true");
        if (!max && _rng.Next(3) == 0) args.Add("CountIncludePad = false");
        return $"{(max ? "MaxPool2d" : "AvgPool2d")}({string.Join(", ", args)})";
    }

    private static long PoolOut(long size, long k, long s, long p, long d, bool ceil)
    {
        long span = size + 2 * p - d * (k - 1) - 1;
        if (span < 0) return 0;
        long o = (ceil ? (span + s - 1) / s : span / s) + 1;
        if (ceil && (o - 1) * s >= size + p) o--;
        return o;
    }

    private T Pick<T>(params T[] values) => values[_rng.Next(values.Length)];
}
