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

    /// <summary>The field past a global pool, a Flatten or a Linear: every output sees the whole input.</summary>
    public static ReceptiveField WholeInput { get; } = new(double.PositiveInfinity, double.PositiveInfinity, double.NaN, double.NaN, Whole: true);

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
        // A projected block's last two parts are its shortcut (1×1 conv, batch norm), beside the body, not after it.
        int parts = block.Projected ? node.Inner.Count - 2 : node.Inner.Count;
        var body = Walk(node.Inner.Take(parts).ToList(), input, inner, indent + "  ");
        rows.AddRange(inner);
        var shortcut = input;
        foreach (var part in node.Inner.Skip(parts)) rows.Add((indent + "  " + part.Name, shortcut = Step(part, shortcut)));
        // A residual block adds its input (through the projection where the block has one): the larger field of the two.
        return block.Residual ? Larger(body, shortcut) : body;
    }

    private static ReceptiveField Larger(ReceptiveField a, ReceptiveField b)
        => a.Whole || b.Whole ? WholeInput : new(Math.Max(a.SizeH, b.SizeH), Math.Max(a.SizeW, b.SizeW), Math.Max(a.JumpH, b.JumpH), Math.Max(a.JumpW, b.JumpW));

    /// <summary>The field after a layer that acts on the height as <paramref name="h"/> and on the width as <paramref name="w"/> (the generator's rule, shared).</summary>
    internal ReceptiveField Through(FieldWindow h, FieldWindow w)
    {
        if (Whole) return this;
        double sizeH = SizeH, jumpH = JumpH, sizeW = SizeW, jumpW = JumpW;
        h.Apply(ref sizeH, ref jumpH);
        w.Apply(ref sizeW, ref jumpW);
        return new(sizeH, sizeW, jumpH, jumpW);
    }

    /// <summary>A resize from the node's input to its output size (an adaptive pool, an upsampling): a global pool sees everything.</summary>
    private static ReceptiveField Resized(ReceptiveField f, GraphNode node)
        => !node.Input.IsFeatureMap || !node.Output.IsFeatureMap ? f
            : FieldWindow.IsGlobal(node.Output.Height, node.Output.Width) ? WholeInput
            : f.Through(FieldWindow.Resize(node.Input.Height, node.Output.Height), FieldWindow.Resize(node.Input.Width, node.Output.Width));

    private static ReceptiveField Step(GraphNode node, ReceptiveField f) => node.Op switch
    {
        Conv2dOp c => f.Through(FieldWindow.Sliding(c.KernelH, c.StrideH, c.DilationH), FieldWindow.Sliding(c.KernelW, c.StrideW, c.DilationW)),
        Pool2dOp p => f.Through(FieldWindow.Sliding(p.KernelH, p.StrideH, p.DilationH), FieldWindow.Sliding(p.KernelW, p.StrideW, p.DilationW)),
        ConvTranspose2dOp t => f.Through(FieldWindow.Transposed(t.KernelH, t.StrideH, t.DilationH), FieldWindow.Transposed(t.KernelW, t.StrideW, t.DilationW)),
        UpsampleOp or UpsampleToOp or AdaptiveAvgPool2dOp => Resized(f, node),
        FlattenOp or LinearOp or ReshapeOp or PermuteOp => WholeInput,
        _ => f, // activations, norms, dropout, padding, 1×1-free layers: the field is unchanged
    };
}
