namespace ModelDsl.Interop;

/// <summary>
/// A generated model's whole computation as the generator knows it at compile time: its input and, in
/// forward order, every layer, tap, merge and block use with the arguments its layer catalog read.
/// <c>ExportOnnx</c> and the tests walk it; it holds no weights (those come from the module's state_dict).
/// </summary>
/// <param name="Name">The model class's name.</param>
/// <param name="Input">The per-sample input shape; for a net of any size, the shape at the reference size.</param>
/// <param name="AnySize">True for a net declared with Channels alone: height and width are dynamic axes.</param>
/// <param name="Output">The per-sample output shape (at the reference size for a net of any size).</param>
/// <param name="Nodes">The nodes in the order forward runs them.</param>
public sealed record ModelGraph(string Name, Shape Input, bool AnySize, Shape Output, IReadOnlyList<GraphNode> Nodes)
{
    /// <summary>Every node in forward order, each followed by the nodes inside it (a block use's parts, a projection's layers), at any depth.</summary>
    public IEnumerable<GraphNode> AllNodes => WithInner(Nodes);

    private static IEnumerable<GraphNode> WithInner(IEnumerable<GraphNode> nodes) => nodes.SelectMany(n => WithInner(n.Inner).Prepend(n));

    /// <summary>
    /// The graph of an instance built with run-time arguments (<c>[Model(Args = …)]</c>): each named output layer (a Linear or
    /// Conv2d) with <paramref name="sizes"/>' count as its output features or channels — and the model's output with it.
    /// </summary>
    public ModelGraph Resized(params (string Node, long Count)[] sizes)
    {
        var bySize = sizes.ToDictionary(s => s.Node, s => s.Count, StringComparer.Ordinal);
        Shape Resize(Shape shape, long count) => shape.IsFlat ? new Shape(count) : new Shape(count, shape.Height, shape.Width);
        var nodes = new List<GraphNode>();
        // The resized output flowing through the parameter-free layers (and Adds of two resized outputs) after a resized
        // layer, followed through taps and From as the data flows: a branch restarted from an untouched tap is untouched.
        Shape? carried = null;
        var atTap = new Dictionary<string, Shape?>(StringComparer.Ordinal);
        foreach (var n in Nodes)
        {
            switch (n.Op)
            {
                case TapOp tap: atTap[tap.Tap] = carried; nodes.Add(n); continue;
                case ChunkOp chunk: atTap[chunk.Tap] = null; nodes.Add(n); continue;
                case FromOp from: carried = atTap.GetValueOrDefault(from.Tap); nodes.Add(n); continue;
                case HeadOp head: carried = atTap.GetValueOrDefault(head.Tap); nodes.Add(n); continue;
            }
            if (bySize.TryGetValue(n.Name, out long count))
            {
                var output = Resize(n.Output, count);
                nodes.Add(n with { Output = output, Op = n.Op is LinearOp linear ? linear with { OutFeatures = count } : n.Op });
                carried = output;
                continue;
            }
            if (carried is { } input)
            {
                // Activations, pools, dropout, resizes keep the channels; Flatten turns k×h×w into k·h·w features.
                var output = n.Output.IsFeatureMap ? new Shape(input.IsFeatureMap ? input.Channels : input.Features, n.Output.Height, n.Output.Width)
                    : new Shape(input.IsFeatureMap ? input.Channels * input.Height * input.Width : input.Features);
                nodes.Add(n with { Input = input, Output = output });
                carried = output;
                continue;
            }
            nodes.Add(n);
        }
        return this with { Nodes = nodes, Output = carried ?? Output };
    }
}

/// <summary>
/// One node of a <see cref="ModelGraph"/>.
/// </summary>
/// <param name="Name">The layer's name as the model shows it (its property, or "Block1.Conv1" inside a block use).</param>
/// <param name="Path">The prefix of its tensors in the module's state_dict ("Features.Conv1": the stage's Sequential comes first); empty for nodes without a module.</param>
/// <param name="Op">What the node computes.</param>
/// <param name="Input">Its per-sample input shape (at the reference size for a net of any size).</param>
/// <param name="Output">Its per-sample output shape.</param>
/// <param name="Children">A block use's layers (then its projection shortcut's conv and batch norm), or a projecting Add's conv and batch norm.</param>
public sealed record GraphNode(string Name, string Path, LayerOp Op, Shape Input, Shape Output, IReadOnlyList<GraphNode>? Children = null)
{
    /// <summary>The node's children, empty when it has none.</summary>
    public IReadOnlyList<GraphNode> Inner => Children ?? Array.Empty<GraphNode>();
}
