using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator.Shapes
{
    /// <summary>
    /// A model after shape analysis: all the emitter reads. Plain equatable data without source
    /// locations (diagnostics travel beside it in a <see cref="Diagnostics.Result{T}"/>).
    /// </summary>
    internal sealed record AnalyzedModel(
        GeneratedType Type,
        Shape Input,
        Shape Output,
        long ParameterCount,
        long MultiplyAdds,
        EquatableArray<ResolvedLayer> Layers,
        EquatableArray<string> Stages);

    /// <summary>
    /// One layer (or block use) at its place in a model: output shape, parameters, multiply-adds per
    /// sample, and its generated code. A block use lists its layers (and projection shortcut) as
    /// <see cref="Children"/>, named "Block1.Conv1".
    /// </summary>
    internal sealed record ResolvedLayer(
        string Name,
        string KindName,
        string? Stage,
        Shape Input,
        Shape Output,
        long Parameters,
        long MultiplyAdds,
        LayerCode Code,
        EquatableArray<ResolvedLayer> Children)
    {
        public bool IsBlock => Children.Count > 0;
    }

    /// <summary>A layer's generated code: the property's module type, the constructor call, and the PyTorch-style description for its docs.</summary>
    internal sealed record LayerCode(string TypeName, string Construction, string Description);
}
