using Onnx;
using static ModelDsl.Interop.OnnxGraphBuilder;

namespace ModelDsl.Interop;

/// <summary>
/// What each <see cref="LayerOp"/> becomes in ONNX, in eval mode: the one place that maps layers to operators.
/// Each method takes the current value's name and returns the name of the layer's output.
/// </summary>
internal sealed class OnnxLayerTranslator
{
    private readonly OnnxGraphBuilder _b;
    private readonly ModelGraph _graph;
    private readonly Func<string, float[]> _weight;
    private readonly Dictionary<string, string> _taps = new(StringComparer.Ordinal);

    /// <summary>For an export at a fixed size of a net of any size: each adaptive pool's input height and width there, by path.</summary>
    private readonly IReadOnlyDictionary<string, (long Height, long Width)>? _fixedPoolInputs;

    public OnnxLayerTranslator(OnnxGraphBuilder builder, ModelGraph graph, Func<string, float[]> weight, IReadOnlyDictionary<string, (long Height, long Width)>? fixedPoolInputs = null)
    {
        _b = builder;
        _graph = graph;
        _weight = weight;
        _fixedPoolInputs = fixedPoolInputs;
    }

    /// <summary>Runs <paramref name="nodes"/> in order from <paramref name="x"/>.</summary>
    public string Chain(IEnumerable<GraphNode> nodes, string x)
    {
        // Upsample(SizeOf = "input") reads the chain's start where no tap has that name.
        _taps.TryAdd(UpsampleInput, x);
        foreach (var node in nodes) x = Translate(node, x);
        return x;
    }

    /// <summary>One node from <paramref name="x"/>; returns the node's output.</summary>
    public string Translate(GraphNode node, string x) => node.Op switch
    {
        Conv2dOp op => Conv(node, op, x),
        ConvTranspose2dOp op => ConvTranspose(node, op, x),
        Pool2dOp op => Pool(node, op, x),
        AdaptiveAvgPool2dOp op => AdaptivePool(node, op, x),
        BatchNormOp op => BatchNorm(node, op, x),
        GroupNormOp op => GroupNorm(node, op, x),
        PadOp op => Pad(node, op, x),
        InstanceNormOp op => InstanceNorm(node, op, x),
        LayerNorm2dOp op => Affine(node, op.Affine, Normalise(node, x, new long[] { 1 }, op.Eps)),
        // Saved under the layer's own key (no ".weight"), as torchvision's block holds it.
        LayerScaleOp op => _b.Node("Mul", node.Path + ".out", new[] { x, _b.Floats(node.Path, _weight(node.Path), op.Channels, 1, 1) }),
        // nn.Linear on each pixel's channels is a 1×1 convolution with the out×in weight.
        PointwiseLinearOp op => _b.Node("Conv", node.Path + ".out", op.Bias
            ? new[] { x, Weight(node, "weight", op.OutFeatures, op.InFeatures, 1, 1), Weight(node, "bias", op.OutFeatures) }
            : new[] { x, Weight(node, "weight", op.OutFeatures, op.InFeatures, 1, 1) }),
        DropoutOp => x, // the identity in eval mode
        StochasticDepthOp => x, // likewise
        // The slopes broadcast over the channel axis: C×1×1 on a map, F on a flat input (one slope: a single value).
        PReluOp op => _b.Node("PRelu", node.Path + ".out", new[] { x, node.Input.IsFlat || op.Count == 1
            ? _b.Floats(node.Path + ".weight", _weight(node.Path + ".weight"), op.Count)
            : _b.Floats(node.Path + ".weight", _weight(node.Path + ".weight"), op.Count, 1, 1) }),
        FlattenOp => _b.Node("Flatten", node.Path + ".out", new[] { x }, Int("axis", 1)),
        // Reshape's 0 copies the input's dimension (allowzero = 0): the batch axis stays dynamic.
        ReshapeOp op => _b.Node("Reshape", node.Path + ".out", new[] { x, _b.Int64s(node.Path + ".shape", op.Dims.Prepend(0L).ToArray()) }),
        PermuteOp op => _b.Node("Transpose", node.Path + ".out", new[] { x }, Ints("perm", op.Dims.Select(d => d + 1).Prepend(0L).ToArray())),
        LinearOp op => _b.Node("Gemm", node.Path + ".out", op.Bias ? new[] { x, Weight(node, "weight", op.OutFeatures, op.InFeatures), Weight(node, "bias", op.OutFeatures) } : new[] { x, Weight(node, "weight", op.OutFeatures, op.InFeatures) }, Int("transB", 1)),
        UpsampleOp op => Upsample(node, op, x),
        ActivationOp op => Activation(op, node.Name, x),
        SoftmaxOp op => _b.Node(op.Log ? "LogSoftmax" : "Softmax", node.Name + ".out", new[] { x }, Int("axis", op.Dim)),
        TapOp op => Tap(op, x),
        FromOp op => TapValue(node, op.Tap),
        HeadOp op => TapValue(node, op.Tap), // OnnxExport ends the previous head's output first
        AddOp op => _b.Node("Add", node.Name + ".out", new[] { x, op.Projected ? Chain(node.Inner, TapValue(node, op.Tap)) : TapValue(node, op.Tap) }),
        ConcatOp op => _b.Node("Concat", node.Name + ".out", op.TapFirst ? new[] { TapValue(node, op.Tap), x } : new[] { x, TapValue(node, op.Tap) }, Int("axis", 1)),
        MultiplyOp op => _b.Node("Mul", node.Name + ".out", new[] { x, TapValue(node, op.Tap) }), // ONNX broadcasts as PyTorch does
        UpsampleToOp op => UpsampleTo(node, op, x),
        PadToOp op => PadTo(node, op, x),
        ChunkOp op => Chunk(node, op, x),
        ChannelShuffleOp op => ChannelShuffle(node, op, x),
        BlockOp op => Block(node, op, x),
        UnsupportedOp op => throw Unsupported(node, $"the exporter has no ONNX translation for {op.Kind} yet"),
        _ => throw Unsupported(node, $"the exporter has no ONNX translation for {node.Op.GetType().Name}"),
    };

    private NotSupportedException Unsupported(GraphNode node, string why)
        => new($"{_graph.Name}: layer {node.Name} cannot be exported to ONNX: {why}.");

    private string Weight(GraphNode node, string tensor, params long[] dims)
        => _b.Floats(node.Path + "." + tensor, _weight(node.Path + "." + tensor), dims);

    private string Tap(TapOp op, string x)
    {
        _taps[op.Tap] = x;
        return x;
    }

    private const string UpsampleInput = "input";

    /// <summary>A chunk's part: the tap is a Slice of the channels; the chain goes on from x.</summary>
    private string Chunk(GraphNode node, ChunkOp op, string x)
    {
        long size = node.Input.Channels / op.Parts;
        string name = node.Name + ".part";
        _taps[op.Tap] = _b.Node("Slice", name, new[] { x, _b.Int64s(name + ".start", op.Index * size), _b.Int64s(name + ".end", (op.Index + 1) * size), _b.Int64s(name + ".axis", 1) });
        return x;
    }

    /// <summary>
    /// PyTorch's channel shuffle: N×C×H×W → N×g×(C/g)×(H·W), swap the two channel axes, back to the input's own shape
    /// (read with Shape, so a net of any size exports too).
    /// </summary>
    private string ChannelShuffle(GraphNode node, ChannelShuffleOp op, string x)
    {
        long c = node.Input.Channels;
        string grouped = _b.Node("Reshape", node.Name + ".grouped", new[] { x, _b.Int64s(node.Name + ".groups", 0, op.Groups, c / op.Groups, -1) });
        string swapped = _b.Node("Transpose", node.Name + ".swapped", new[] { grouped }, Ints("perm", 0, 2, 1, 3));
        return _b.Node("Reshape", node.Name + ".out", new[] { swapped, _b.Node("Shape", node.Name + ".shape", new[] { x }) });
    }

    /// <summary>Resize to the reference's height and width: sizes = the input's N, C then Shape(reference)[2:4].</summary>
    private string UpsampleTo(GraphNode node, UpsampleToOp op, string x)
    {
        string reference = TapValue(node, op.Tap);
        var attributes = ResizeAttributes(op.Mode, op.AlignCorners);
        string Slice(string of, string name, long start, long end)
            => _b.Node("Slice", node.Name + name, new[] { _b.Node("Shape", node.Name + name + ".shape", new[] { of }), _b.Int64s(node.Name + name + ".start", start), _b.Int64s(node.Name + name + ".end", end) });
        string sizes = _b.Node("Concat", node.Name + ".sizes", new[] { Slice(x, ".nc", 0, 2), Slice(reference, ".hw", 2, 4) }, Int("axis", 0));
        return _b.Node("Resize", node.Name + ".out", new[] { x, "", "", sizes }, attributes);
    }

    /// <summary>
    /// Pad to the reference's height and width: d = Shape(reference)[2:4] − Shape(x)[2:4], before = d / 2, after = d − before,
    /// pads = [0, 0, before_h, before_w, 0, 0, after_h, after_w] (ONNX's begins then ends) — computed in the graph, so any size exports.
    /// </summary>
    private string PadTo(GraphNode node, PadToOp op, string x)
    {
        string reference = TapValue(node, op.Tap);
        string HeightWidth(string of, string name)
            => _b.Node("Slice", node.Name + name, new[] { _b.Node("Shape", node.Name + name + ".shape", new[] { of }), _b.Int64s(node.Name + name + ".start", 2), _b.Int64s(node.Name + name + ".end", 4) });
        string difference = _b.Node("Sub", node.Name + ".difference", new[] { HeightWidth(reference, ".reference"), HeightWidth(x, ".input") });
        string before = _b.Node("Div", node.Name + ".before", new[] { difference, _b.Int64s(node.Name + ".two", 2, 2) });
        string after = _b.Node("Sub", node.Name + ".after", new[] { difference, before });
        string zeros = _b.Int64s(node.Name + ".zeros", 0, 0);
        string pads = _b.Node("Concat", node.Name + ".pads", new[] { zeros, before, zeros, after }, Int("axis", 0));
        string mode = op.Mode == "replicate" ? "edge" : op.Mode;
        var inputs = op.Mode == "constant" ? new[] { x, pads, _b.Floats(node.Name + ".value", new[] { (float)op.Value }) } : new[] { x, pads };
        return _b.Node("Pad", node.Name + ".out", inputs, String("mode", mode));
    }

    private string TapValue(GraphNode node, string tap)
        => _taps.TryGetValue(tap, out var value) ? value : throw Unsupported(node, $"its tap '{tap}' was not defined before it");

    private string Conv(GraphNode node, Conv2dOp op, string x)
    {
        long cin = node.Input.Channels, cout = node.Output.Channels;
        var pads = new[] { op.PadTop, op.PadLeft, op.PadBottom, op.PadRight };
        // PyTorch pads with F.pad before a conv with a padding mode, then convolves without padding.
        if (op.PaddingMode != PaddingMode.Zeros && pads.Any(p => p > 0))
        {
            x = op.PaddingMode == PaddingMode.Circular ? CircularPad(node, x, op.PadTop, op.PadBottom, op.PadLeft, op.PadRight) : Pad(node, x, op.PaddingMode, pads);
            pads = new long[4];
        }
        var inputs = new List<string> { x, Weight(node, op.TensorPrefix + "weight", cout, cin / op.Groups, op.KernelH, op.KernelW) };
        if (op.Bias) inputs.Add(Weight(node, op.TensorPrefix + "bias", cout));
        return _b.Node("Conv", node.Path + ".out", inputs,
            Ints("kernel_shape", op.KernelH, op.KernelW), Ints("strides", op.StrideH, op.StrideW), Ints("dilations", op.DilationH, op.DilationW),
            Ints("pads", pads), Int("group", op.Groups));
    }

    private string Pad(GraphNode node, string x, PaddingMode mode, long[] pads)
    {
        string onnxMode = mode == PaddingMode.Reflect ? "reflect" : "edge";
        var all = _b.Int64s(node.Path + ".pads", 0, 0, pads[0], pads[1], 0, 0, pads[2], pads[3]);
        return _b.Node("Pad", node.Path + ".padded", new[] { x, all }, String("mode", onnxMode));
    }

    // ONNX's Pad learnt "wrap" only in opset 19; slices and a concat work in every opset and at any size.
    private string CircularPad(GraphNode node, string x, long top, long bottom, long left, long right)
    {
        x = WrapAxis(node, x, 2, top, bottom);
        return WrapAxis(node, x, 3, left, right);
    }

    private string WrapAxis(GraphNode node, string x, long axis, long before, long after)
    {
        if (before == 0 && after == 0) return x;
        var parts = new List<string>();
        if (before > 0) parts.Add(Slice(node, x, axis, -before, long.MaxValue));
        parts.Add(x);
        if (after > 0) parts.Add(Slice(node, x, axis, 0, after));
        return _b.Node("Concat", node.Path + ".wrapped", parts, Int("axis", axis));
    }

    private string Slice(GraphNode node, string x, long axis, long start, long end)
        => _b.Node("Slice", node.Path + ".slice", new[] { x, _b.Int64s(node.Path + ".start", start), _b.Int64s(node.Path + ".end", end), _b.Int64s(node.Path + ".axis", axis) });

    private string ConvTranspose(GraphNode node, ConvTranspose2dOp op, string x)
    {
        long cin = node.Input.Channels, cout = node.Output.Channels;
        // PyTorch allows an output padding below the stride or the dilation; ONNX Runtime only below the stride.
        // Output padding keeps rows the end padding would crop, so it is written as less end padding; rows past
        // the full output (output padding above the padding) get no contribution: zeros, then the bias.
        long endH = Math.Max(op.PaddingH - op.OutputPaddingH, 0), endW = Math.Max(op.PaddingW - op.OutputPaddingW, 0);
        long extraH = Math.Max(op.OutputPaddingH - op.PaddingH, 0), extraW = Math.Max(op.OutputPaddingW - op.PaddingW, 0);
        bool extra = extraH > 0 || extraW > 0;
        var inputs = new List<string> { x, Weight(node, "weight", cin, cout / op.Groups, op.KernelH, op.KernelW) };
        if (op.Bias && !extra) inputs.Add(Weight(node, "bias", cout));
        string y = _b.Node("ConvTranspose", node.Path + (extra ? ".full" : ".out"), inputs,
            Ints("kernel_shape", op.KernelH, op.KernelW), Ints("strides", op.StrideH, op.StrideW), Ints("dilations", op.DilationH, op.DilationW),
            Ints("pads", op.PaddingH, op.PaddingW, endH, endW), Int("group", op.Groups));
        if (!extra) return y;
        y = _b.Node("Pad", node.Path + ".output_padded", new[] { y, _b.Int64s(node.Path + ".pads", 0, 0, 0, 0, 0, 0, extraH, extraW) }, String("mode", "constant"));
        return op.Bias ? _b.Node("Add", node.Path + ".out", new[] { y, _b.Floats(node.Path + ".bias", _weight(node.Path + ".bias"), cout, 1, 1) }) : y;
    }

    private string Pool(GraphNode node, Pool2dOp op, string x)
    {
        long[] pads = { op.PaddingH, op.PaddingW, op.PaddingH, op.PaddingW };
        // PyTorch pads a max pool with −∞, so a window wholly in the padding gives −∞; ONNX Runtime's own padding
        // gives the lowest finite float there. Padding with −∞ first makes every window agree.
        if (op.Max && pads.Any(p => p > 0))
        {
            var all = _b.Int64s(node.Name + ".pads", 0, 0, op.PaddingH, op.PaddingW, 0, 0, op.PaddingH, op.PaddingW);
            x = _b.Node("Pad", node.Name + ".padded", new[] { x, all, _b.Floats(node.Name + ".minus_infinity", new[] { float.NegativeInfinity }) }, String("mode", "constant"));
            pads = new long[4];
        }
        var attributes = new List<AttributeProto>
        {
            Ints("kernel_shape", op.KernelH, op.KernelW), Ints("strides", op.StrideH, op.StrideW),
            Ints("pads", pads), Int("ceil_mode", op.CeilMode ? 1 : 0),
        };
        if (op.Max) attributes.Add(Ints("dilations", op.DilationH, op.DilationW));
        else attributes.Add(Int("count_include_pad", op.CountIncludePad ? 1 : 0));
        if (!op.CeilMode) return _b.Node(op.Max ? "MaxPool" : "AveragePool", node.Name + ".out", new[] { x }, attributes.ToArray());

        // In ceil mode PyTorch drops a last window that would start in the right padding; ONNX Runtime keeps it.
        // The windows before it agree, so the extra row or column is sliced off.
        if (_graph.AnySize)
        {
            if (CanStartInPadding(op.KernelH, op.StrideH, op.PaddingH, op.DilationH) || CanStartInPadding(op.KernelW, op.StrideW, op.PaddingW, op.DilationW))
                throw Unsupported(node, "in ceil mode PyTorch drops a last window that starts in the padding, at input sizes a net of any size cannot know when exporting; declare Height and Width");
            return _b.Node(op.Max ? "MaxPool" : "AveragePool", node.Name + ".out", new[] { x }, attributes.ToArray());
        }
        string pooled = _b.Node(op.Max ? "MaxPool" : "AveragePool", node.Name + ".ceil", new[] { x }, attributes.ToArray());
        long onnxH = CeilWindows(node.Input.Height, op.KernelH, op.StrideH, op.PaddingH, op.DilationH);
        long onnxW = CeilWindows(node.Input.Width, op.KernelW, op.StrideW, op.PaddingW, op.DilationW);
        if (onnxH == node.Output.Height && onnxW == node.Output.Width) return pooled;
        return _b.Node("Slice", node.Name + ".out", new[] { pooled, _b.Int64s(node.Name + ".start", 0, 0), _b.Int64s(node.Name + ".end", node.Output.Height, node.Output.Width), _b.Int64s(node.Name + ".axes", 2, 3) });
    }

    // ONNX's ceil-mode count: ⌈(n + 2p − d(k − 1) − 1) / s⌉ + 1, without PyTorch's "start inside" rule.
    private static long CeilWindows(long n, long k, long s, long p, long d) => (n + 2 * p - d * (k - 1) - 1 + s - 1) / s + 1;

    // Whether a last ceil-mode window can start at or past n + p for some n: iff s − 1 ≥ d(k − 1) + 1 − p.
    private static bool CanStartInPadding(long k, long s, long p, long d) => s - 1 >= d * (k - 1) + 1 - p;

    private string AdaptivePool(GraphNode node, AdaptiveAvgPool2dOp op, string x)
    {
        if (op.Height == 1 && op.Width == 1) return _b.Node("GlobalAveragePool", node.Name + ".out", new[] { x });
        long h = node.Input.Height, w = node.Input.Width;
        if (_graph.AnySize)
        {
            if (_fixedPoolInputs?.TryGetValue(node.Path, out var seen) != true)
                throw Unsupported(node, $"ONNX has no adaptive pool, and in a net of any size the {op.Height}×{op.Width} windows depend on the input size; export at a fixed size (ExportOnnx(path, height, width)), use GlobalAvgPool, or declare Height and Width");
            (h, w) = _fixedPoolInputs[node.Path];
        }
        if (h % op.Height == 0 && w % op.Width == 0)
            return _b.Node("AveragePool", node.Name + ".out", new[] { x }, Ints("kernel_shape", h / op.Height, w / op.Width), Ints("strides", h / op.Height, w / op.Width));
        // PyTorch's windows [⌊i·n/o⌋, ⌈(i+1)·n/o⌉) are separable: the pool is A_h · x · A_wᵀ with averaging matrices.
        var rows = _b.Floats(node.Name + ".rows", AveragingMatrix(h, op.Height, transpose: false), op.Height, h);
        var columns = _b.Floats(node.Name + ".columns", AveragingMatrix(w, op.Width, transpose: true), w, op.Width);
        var pooledRows = _b.Node("MatMul", node.Name + ".pooled_rows", new[] { rows, x });
        return _b.Node("MatMul", node.Name + ".out", new[] { pooledRows, columns });
    }

    private static float[] AveragingMatrix(long input, long output, bool transpose)
    {
        var m = new float[output * input];
        for (long i = 0; i < output; i++)
        {
            long start = i * input / output, end = ((i + 1) * input + output - 1) / output;
            for (long j = start; j < end; j++) m[transpose ? j * output + i : i * input + j] = 1f / (end - start);
        }
        return m;
    }

    private string BatchNorm(GraphNode node, BatchNormOp op, string x)
    {
        if (op.TrackRunningStats) return RunningStatistics(node, op.Affine, op.Eps, x);
        // Without running statistics PyTorch normalises with the batch's mean and biased variance even in eval mode.
        long[] axes = node.Input.IsFlat ? new long[] { 0 } : new long[] { 0, 2, 3 };
        return Affine(node, op.Affine, Normalise(node, x, axes, op.Eps));
    }

    /// <summary>
    /// A padding layer: ONNX's Pad (every axis's start, then every axis's end; replicate is "edge"). A zero pad is written
    /// with the value −0.0: ONNX Runtime's PadFusion folds a Pad whose value is all zero bytes into a following MaxPool's
    /// pads — which pads with −∞, not 0, and refuses pads not smaller than the kernel — and −0.0 has a sign byte, so the
    /// Pad stays; every later operation treats −0.0 as 0.
    /// </summary>
    private string Pad(GraphNode node, PadOp op, string x)
    {
        float value = op.Mode == "constant" && op.Value == 0 ? -0.0f : (float)op.Value;
        return _b.Node("Pad", node.Path + ".out", new[] { x, _b.Int64s(node.Path + ".pads", 0, 0, op.Top, op.Left, 0, 0, op.Bottom, op.Right), _b.Floats(node.Path + ".value", new[] { value }) },
            String("mode", op.Mode == "replicate" ? "edge" : op.Mode));
    }

    /// <summary>(x − mean) / √(biased variance + eps) over <paramref name="axes"/> — what every PyTorch norm computes from the statistics it uses.</summary>
    private string Normalise(GraphNode node, string x, long[] axes, double eps)
    {
        string mean = ReduceMean(node, x, axes);
        string centred = _b.Node("Sub", node.Path + ".centred", new[] { x, mean });
        string variance = ReduceMean(node, _b.Node("Mul", node.Path + ".squared", new[] { centred, centred }), axes);
        string std = _b.Node("Sqrt", node.Path + ".std", new[] { _b.Node("Add", node.Path + ".var_eps", new[] { variance, _b.Floats(node.Path + ".eps", new[] { (float)eps }) }) });
        return _b.Node("Div", node.Path + ".normalised", new[] { centred, std });
    }

    /// <summary>y · weight + bias per channel (C for a flat input, C×1×1 for a map), the layer's own tensors; y itself when not affine.</summary>
    private string Affine(GraphNode node, bool affine, string y)
    {
        if (!affine) return y;
        long c = node.Input.IsFlat ? node.Input.Features : node.Input.Channels;
        long[] perChannel = node.Input.IsFlat ? new[] { c } : new[] { c, 1L, 1L };
        y = _b.Node("Mul", node.Path + ".scaled", new[] { y, _b.Floats(node.Path + ".weight", _weight(node.Path + ".weight"), perChannel) });
        return _b.Node("Add", node.Path + ".out", new[] { y, _b.Floats(node.Path + ".bias", _weight(node.Path + ".bias"), perChannel) });
    }

    /// <summary>GroupNorm: the map seen as N×G×(C/G·H·W), each group normalised over its last axis, shaped back, then the per-channel affine.</summary>
    private string GroupNorm(GraphNode node, GroupNormOp op, string x)
    {
        string grouped = _b.Node("Reshape", node.Path + ".grouped", new[] { x, _b.Int64s(node.Path + ".group_shape", 0, op.Groups, -1) });
        string normalised = Normalise(node, grouped, new long[] { 2 }, op.Eps);
        string back = _b.Node("Reshape", node.Path + ".ungrouped", new[] { normalised, _b.Node("Shape", node.Path + ".shape", new[] { x }) });
        return Affine(node, op.Affine, back);
    }

    /// <summary>InstanceNorm2d: with running statistics (eval) a BatchNormalization on them, else each channel of each sample over its map.</summary>
    private string InstanceNorm(GraphNode node, InstanceNormOp op, string x)
    {
        if (op.TrackRunningStats) return RunningStatistics(node, op.Affine, op.Eps, x);
        return Affine(node, op.Affine, Normalise(node, x, new long[] { 2, 3 }, op.Eps));
    }

    /// <summary>A norm in eval mode on its running statistics (BatchNorm, a tracking InstanceNorm2d): ONNX's BatchNormalization.</summary>
    private string RunningStatistics(GraphNode node, bool affine, double eps, string x)
    {
        long c = node.Input.IsFlat ? node.Input.Features : node.Input.Channels;
        string scale = affine ? Weight(node, "weight", c) : _b.Floats(node.Path + ".ones", Enumerable.Repeat(1f, (int)c).ToArray(), c);
        string bias = affine ? Weight(node, "bias", c) : _b.Floats(node.Path + ".zeros", new float[c], c);
        return _b.Node("BatchNormalization", node.Path + ".out", new[] { x, scale, bias, Weight(node, "running_mean", c), Weight(node, "running_var", c) }, Float("epsilon", eps));
    }

    // ReduceMean took its axes as an attribute until opset 18, as an input since.
    private string ReduceMean(GraphNode node, string x, long[] axes)
        => _b.Opset < 18
            ? _b.Node("ReduceMean", node.Path + ".mean", new[] { x }, Ints("axes", axes), Int("keepdims", 1))
            : _b.Node("ReduceMean", node.Path + ".mean", new[] { x, _b.Int64s(node.Path + ".axes", axes) }, Int("keepdims", 1));

    private string Upsample(GraphNode node, UpsampleOp op, string x)
    {
        var attributes = ResizeAttributes(op.Mode, op.AlignCorners);
        if (op.Scale > 0)
        {
            var scales = _b.Floats(node.Name + ".scales", new[] { 1f, 1f, (float)op.Scale, (float)op.Scale }, 4);
            return _b.Node("Resize", node.Name + ".out", new[] { x, "", scales }, attributes);
        }
        // Sizes: the batch and channels of the input, then the layer's height and width.
        string shape = _b.Node("Shape", node.Name + ".shape", new[] { x });
        string batchAndChannels = _b.Node("Slice", node.Name + ".nc", new[] { shape, _b.Int64s(node.Name + ".start", 0), _b.Int64s(node.Name + ".end", 2) });
        string sizes = _b.Node("Concat", node.Name + ".sizes", new[] { batchAndChannels, _b.Int64s(node.Name + ".hw", op.Height, op.Width) }, Int("axis", 0));
        return _b.Node("Resize", node.Name + ".out", new[] { x, "", "", sizes }, attributes);
    }

    /// <summary>
    /// PyTorch's coordinate rules: nearest is floor(dst / scale) ('asymmetric', floor); bilinear and bicubic sample pixel
    /// centres ('half_pixel': a size-1 output samples the centre, as PyTorch 2 does — 'pytorch_half_pixel' would take the first pixel) or corners.
    /// </summary>
    private AttributeProto[] ResizeAttributes(UpsampleMode mode, bool alignCorners)
    {
        var attributes = new List<AttributeProto>
        {
            String("mode", mode switch { UpsampleMode.Nearest => "nearest", UpsampleMode.Bilinear => "linear", _ => "cubic" }),
            String("coordinate_transformation_mode", mode == UpsampleMode.Nearest ? "asymmetric" : alignCorners ? "align_corners" : "half_pixel"),
        };
        if (mode == UpsampleMode.Nearest) attributes.Add(String("nearest_mode", "floor"));
        if (mode == UpsampleMode.Bicubic) attributes.Add(Float("cubic_coeff_a", -0.75));
        return attributes.ToArray();
    }

    private string Activation(ActivationOp op, string name, string x) => op.Kind switch
    {
        "ReLU" => _b.Node("Relu", name + ".out", new[] { x }),
        "ELU" => _b.Node("Elu", name + ".out", new[] { x }, Float("alpha", op.Argument)),
        "LeakyReLU" => _b.Node("LeakyRelu", name + ".out", new[] { x }, Float("alpha", op.Argument)),
        "Sigmoid" => _b.Node("Sigmoid", name + ".out", new[] { x }),
        "Tanh" => _b.Node("Tanh", name + ".out", new[] { x }),
        "SiLU" => _b.Node("Mul", name + ".out", new[] { x, _b.Node("Sigmoid", name + ".sigmoid", new[] { x }) }),
        // GELU(x) = x · Φ(x) = 0.5 · x · (1 + erf(x / √2)), PyTorch's exact form (ONNX's Gelu op exists only from opset 20).
        "GELU" => _b.Node("Mul", name + ".out", new[]
        {
            _b.Node("Mul", name + ".half_x", new[] { x, _b.Floats(name + ".half", new[] { 0.5f }) }),
            _b.Node("Add", name + ".one_plus_erf", new[]
            {
                _b.Node("Erf", name + ".erf", new[] { _b.Node("Div", name + ".scaled", new[] { x, _b.Floats(name + ".sqrt2", new[] { (float)Math.Sqrt(2) }) }) }),
                _b.Floats(name + ".one", new[] { 1f }),
            }),
        }),
        "Identity" => x,
        "ReLU6" => Clip(name, x, 0, 6),
        "Hardtanh" => Clip(name, x, op.Argument, op.Argument2),
        // PyTorch's hardsigmoid is clamp(x / 6 + 1/2, 0, 1): ONNX's HardSigmoid with alpha 1/6, beta 1/2.
        "Hardsigmoid" => HardSigmoid(name + ".out", x),
        // Hardswish(x) = x · hardsigmoid(x); ONNX's HardSwish op exists only from opset 14.
        "Hardswish" => _b.Opset >= 14 ? _b.Node("HardSwish", name + ".out", new[] { x }) : _b.Node("Mul", name + ".out", new[] { x, HardSigmoid(name + ".gate", x) }),
        "Softplus" => Softplus(name, x, op.Argument, op.Argument2),
        // Mish(x) = x · tanh(softplus(x)) (ONNX's Mish op exists only from opset 18).
        "Mish" => _b.Node("Mul", name + ".out", new[] { x, _b.Node("Tanh", name + ".tanh", new[] { _b.Node("Softplus", name + ".softplus", new[] { x }) }) }),
        _ => throw new NotSupportedException($"{_graph.Name}: layer {name} cannot be exported to ONNX: no translation for the activation {op.Kind}."),
    };

    /// <summary>x clamped to [min, max]: Clip with its bounds as scalar inputs (opset 11 and later).</summary>
    private string Clip(string name, string x, double min, double max)
        => _b.Node("Clip", name + ".out", new[] { x, _b.Floats(name + ".min", new[] { (float)min }), _b.Floats(name + ".max", new[] { (float)max }) });

    private string HardSigmoid(string output, string x)
        => _b.Node("HardSigmoid", output, new[] { x }, Float("alpha", 1.0 / 6), Float("beta", 0.5));

    /// <summary>PyTorch's softplus: where(β·x &gt; threshold, x, softplus(β·x) / β).</summary>
    private string Softplus(string name, string x, double beta, double threshold)
    {
        string bx = _b.Node("Mul", name + ".bx", new[] { x, _b.Floats(name + ".beta", new[] { (float)beta }) });
        string smooth = _b.Node("Div", name + ".smooth", new[] { _b.Node("Softplus", name + ".softplus", new[] { bx }), _b.Floats(name + ".beta_div", new[] { (float)beta }) });
        string linear = _b.Node("Greater", name + ".linear", new[] { bx, _b.Floats(name + ".threshold", new[] { (float)threshold }) });
        return _b.Node("Where", name + ".out", new[] { linear, x, smooth });
    }

    private string Block(GraphNode node, BlockOp op, string x)
    {
        var children = node.Inner;
        int layers = op.Projected ? children.Count - 2 : children.Count;
        _taps.TryAdd(node.Name + "/" + UpsampleInput, x); // a block's "input" (qualified by its use)
        string y = Chain(children.Take(layers), x);
        if (!op.Residual) return y;
        string shortcut = op.Projected ? Chain(children.Skip(layers), x) : x;
        string sum = _b.Node("Add", node.Path + ".sum", new[] { y, shortcut });
        return op.Then is { } then ? Activation(then, node.Path + ".Activation", sum) : sum;
    }
}
