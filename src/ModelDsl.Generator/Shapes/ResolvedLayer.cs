using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator.Shapes
{
    /// <summary>A layer with its input known: concrete channel counts, output shape, parameters, cost.</summary>
    internal sealed record ResolvedLayer(
        string Name,
        LayerKind Kind,
        string? Stage,
        LayerGeometry Geometry,
        Shape Input,
        Shape Output,
        long InChannels,
        long OutChannels,
        long Parameters,
        long MultiplyAdds,
        BlockUse? Block,
        EquatableArray<ResolvedLayer> Children)
    {
        public string KindName => Kind == LayerKind.Block ? Block!.TypeName : Kind.ToString();
    }

    /// <summary>How a model instantiates one block: its type and the shortcut it needs at this place.</summary>
    internal sealed record BlockUse(string TypeName, string FullyQualifiedTypeName, bool HasProjectionOption, bool Project, long ShortcutStrideH, long ShortcutStrideW);

    /// <summary>The result of checking a whole model: what the emitter writes and what the IDE shows.</summary>
    internal sealed record AnalyzedModel(
        ModelSpec Spec,
        Shape Input,
        Shape Output,
        long ParameterCount,
        long MultiplyAdds,
        EquatableArray<ResolvedLayer> Layers,
        EquatableArray<string> Stages,
        EquatableArray<Diagnostics.DiagnosticInfo> Diagnostics,
        bool CanEmit);
}
