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
public sealed record ModelGraph(string Name, Shape Input, bool AnySize, Shape Output, IReadOnlyList<GraphNode> Nodes);

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
