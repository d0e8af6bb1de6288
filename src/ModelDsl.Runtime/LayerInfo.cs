namespace ModelDsl;

/// <summary>
/// One row of a generated model's <c>Layers</c> table: what torchinfo prints for a layer.
/// </summary>
/// <param name="Name">Property path of the layer, e.g. "Conv1" or "Block3.Conv2".</param>
/// <param name="Kind">The PyTorch layer type, e.g. "Conv2d".</param>
/// <param name="OutputShape">Per-sample output shape (no batch dimension).</param>
/// <param name="Parameters">Trainable parameters of this layer alone.</param>
/// <param name="MultiplyAdds">Multiply-accumulate operations for one sample (convolutions and linear layers).</param>
/// <param name="Stage">The stage the layer belongs to, or null.</param>
/// <param name="ReceptiveField">
/// The receptive field of the layer's output, computed at compile time as the course computes it: per axis the input pixels one
/// output position sees and the jump between neighbouring positions (the whole input past a Flatten, a Linear or a global pool).
/// </param>
public sealed record LayerInfo(string Name, string Kind, Shape OutputShape, long Parameters, long MultiplyAdds, string? Stage = null,
    Interop.ReceptiveField? ReceptiveField = null);
