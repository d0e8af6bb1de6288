using ModelDsl.Generator.Diagnostics;

namespace ModelDsl.Generator.Parsing
{
    /// <summary>
    /// Everything the generator needs about one [Model] or [Block] class, as plain equatable data
    /// (no symbols or syntax), so an edit elsewhere yields an equal spec and nothing is re-emitted.
    /// </summary>
    internal sealed record ModelSpec(
        string? Namespace,
        string ClassName,
        string HintName,
        EquatableArray<string> ContainingTypes,
        bool IsBlock,
        long Channels,
        long Height,
        long Width,
        long Features,
        LocationInfo? Location,
        EquatableArray<LayerSpec> Layers,
        BlockSpec? OwnBlock,
        EquatableArray<DiagnosticInfo> Diagnostics,
        bool CanEmit,
        EquatableArray<string> ReservedNames)
    {
        public string DisplayName => ClassName;
    }
}
