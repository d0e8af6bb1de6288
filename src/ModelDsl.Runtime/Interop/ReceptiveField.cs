using System.Globalization;

namespace ModelDsl.Interop;

/// <summary>
/// The receptive field of a point of a network, per axis, as the course computes it: its size <c>r</c> (how many input
/// pixels can influence one output position) and its jump <c>j</c> (how far apart, in input pixels, neighbouring output
/// positions look). A window of kernel k, stride s, dilation d gives <c>r + (k − 1)·d·j</c> and <c>j·s</c>; an upsampling
/// divides the jump; merges take the larger field of their operands. <see cref="Whole"/>: past a global pool, a Flatten or
/// a Linear every output sees the whole input.
/// </summary>
public sealed record ReceptiveField(double SizeH, double SizeW, double JumpH, double JumpW, bool Whole = false)
{
    /// <summary>An input pixel: size 1, jump 1.</summary>
    public static ReceptiveField Input { get; } = new(1, 1, 1, 1);

    private static readonly ReceptiveField WholeInput = new(double.PositiveInfinity, double.PositiveInfinity, double.NaN, double.NaN, Whole: true);

    /// <summary>"16×16 (jump 4×4)", or "the whole input".</summary>
    public override string ToString() => Whole ? "the whole input"
        : $"{N(SizeH)}×{N(SizeW)} (jump {N(JumpH)}×{N(JumpW)})";

    private static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>The field after each node of <paramref name="graph"/>, in forward order (a block's inner nodes after it, indented by two spaces per depth).</summary>
    public static IReadOnlyList<(string Layer, ReceptiveField Field)> PerLayer(ModelGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var rows = new List<(string, ReceptiveField)>();
        Walk(graph.Nodes, Input, rows, "");
        return rows;
    }

    /// <summary>The field of the model's output (the last head's, for a model with heads).</summary>
    public static ReceptiveField Of(ModelGraph graph)
    {
        var rows = new List<(string, ReceptiveField)>();
        return Walk(graph.Nodes, Input, rows, "");
    }

    private static ReceptiveField Walk(IReadOnlyList<GraphNode> nodes, ReceptiveField input, List<(string, ReceptiveField)> rows, string indent)
    {
        var taps = new Dictionary<string, ReceptiveField>(StringComparer.Ordinal) { ["input"] = input };
        var current = input;
        foreach (var node in nodes)
        {
            current = node.Op switch
            {
                TapOp t => Keep(taps, t.Tap, current),
                ChunkOp c => Keep(taps, c.Tap, current),
                FromOp f => taps.GetValueOrDefault(f.Tap, current),
                HeadOp h => taps.GetValueOrDefault(h.Tap, current),
                AddOp a => Larger(current, a.Projected ? Through(node.Inner, taps.GetValueOrDefault(a.Tap, current)) : taps.GetValueOrDefault(a.Tap, current)),
                ConcatOp c => Larger(current, taps.GetValueOrDefault(c.Tap, current)),
                MultiplyOp m => Larger(current, taps.GetValueOrDefault(m.Tap, current)),
                BlockOp b => Block(node, b, current, rows, indent),
                _ => Step(node, current),
            };
            rows.Add((indent + node.Name, current));
        }
        return current;
    }

    private static ReceptiveField Keep(Dictionary<string, ReceptiveField> taps, string tap, ReceptiveField field)
    {
        taps[tap] = field;
        return field;
    }

    private static ReceptiveField Through(IReadOnlyList<GraphNode> nodes, ReceptiveField field)
    {
        foreach (var node in nodes) field = Step(node, field);
        return field;
    }

    private static ReceptiveField Block(GraphNode node, BlockOp block, ReceptiveField input, List<(string, ReceptiveField)> rows, string indent)
    {
        var inner = new List<(string, ReceptiveField)>();
        var body = Walk(node.Inner, input, inner, indent + "  ");
        // A residual block adds its input (through a projection where the block has one): the larger field of the two.
        var output = block.Residual ? Larger(body, input) : body;
        rows.AddRange(inner);
        return output;
    }

    private static ReceptiveField Larger(ReceptiveField a, ReceptiveField b)
        => a.Whole || b.Whole ? WholeInput : new(Math.Max(a.SizeH, b.SizeH), Math.Max(a.SizeW, b.SizeW), Math.Max(a.JumpH, b.JumpH), Math.Max(a.JumpW, b.JumpW));

    private static ReceptiveField Window(ReceptiveField f, double kh, double kw, double sh, double sw, double dh = 1, double dw = 1)
        => f.Whole ? f : new(f.SizeH + (kh - 1) * dh * f.JumpH, f.SizeW + (kw - 1) * dw * f.JumpW, f.JumpH * sh, f.JumpW * sw);

    /// <summary>A resize from the node's input to its output size: the jump scales with it, the field stays.</summary>
    private static ReceptiveField Resized(ReceptiveField f, GraphNode node)
        => f.Whole || !node.Input.IsFeatureMap || !node.Output.IsFeatureMap ? f
            : f with { JumpH = f.JumpH * node.Input.Height / node.Output.Height, JumpW = f.JumpW * node.Input.Width / node.Output.Width };

    private static ReceptiveField Step(GraphNode node, ReceptiveField f) => node.Op switch
    {
        Conv2dOp c => Window(f, c.KernelH, c.KernelW, c.StrideH, c.StrideW, c.DilationH, c.DilationW),
        Pool2dOp p => Window(f, p.KernelH, p.KernelW, p.StrideH, p.StrideW, p.DilationH, p.DilationW),
        // A transposed convolution spreads each input over k outputs s apart: the jump divides, the kernel widens the field.
        ConvTranspose2dOp t => f.Whole ? f : new ReceptiveField(f.SizeH + (t.KernelH - 1) * t.DilationH * f.JumpH / t.StrideH,
            f.SizeW + (t.KernelW - 1) * t.DilationW * f.JumpW / t.StrideW, f.JumpH / t.StrideH, f.JumpW / t.StrideW),
        UpsampleOp or UpsampleToOp => Resized(f, node),
        AdaptiveAvgPool2dOp a when a.Height == 1 && a.Width == 1 => WholeInput,
        // An adaptive pool of another size: windows of about in/out, that far apart.
        AdaptiveAvgPool2dOp when node.Input.IsFeatureMap && node.Output.IsFeatureMap
            => Window(f, Math.Ceiling((double)node.Input.Height / node.Output.Height), Math.Ceiling((double)node.Input.Width / node.Output.Width),
                (double)node.Input.Height / node.Output.Height, (double)node.Input.Width / node.Output.Width),
        FlattenOp or LinearOp or ReshapeOp or PermuteOp => WholeInput,
        _ => f, // activations, norms, dropout, padding, 1×1-free layers: the field is unchanged
    };
}
