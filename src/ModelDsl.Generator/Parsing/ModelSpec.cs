using ModelDsl.Generator.Diagnostics;

namespace ModelDsl.Generator.Parsing
{
    /// <summary>
    /// Everything the generator needs about one [Model] or [Block] class, as plain equatable data
    /// (no symbols or syntax), so an edit elsewhere yields an equal spec and nothing is re-analysed.
    /// It holds source locations (for diagnostics); what the analysis hands the emitter holds none.
    /// </summary>
    internal sealed record ModelSpec(
        GeneratedType Type,
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
        EquatableArray<string> ReservedNames,
        bool CanDeclare = false,
        EquatableArray<BlockParam> RuntimeArgs = default)
    {
        // CanEmit: the analysis may produce the full module. CanDeclare: a generated partial declaration of the class
        // compiles (it is partial, not generic, not static), so a model with errors still gets its public surface.

        public string ClassName => Type.ClassName;

        /// <summary>A spec that produces only <paramref name="diagnostics"/> (a class the parser could not read).</summary>
        public static ModelSpec Failed(string className, bool isBlock, LocationInfo? location, EquatableArray<DiagnosticInfo> diagnostics)
            => new(new GeneratedType(null, className, className + ".g.cs", EquatableArray<string>.Empty), isBlock, 0, 0, 0, 0, location,
                EquatableArray<LayerSpec>.Empty, null, diagnostics, false, EquatableArray<string>.Empty);
    }
}
