using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator.Diagnostics
{
    /// <summary>
    /// A pipeline step's value and its diagnostics, kept apart (the MVVM toolkit's <c>Result&lt;T&gt;</c>):
    /// the emitter is fed <see cref="Value"/> alone, which holds no source locations, so moving a
    /// declaration (a line inserted above it) changes only the diagnostics and re-emits nothing.
    /// <see cref="Value"/> is null when there is nothing to emit; <see cref="Surface"/> then holds the public surface of a
    /// class whose analysis found errors (null when even that cannot be declared).
    /// </summary>
    internal sealed record Result<T>(T? Value, EquatableArray<DiagnosticInfo> Diagnostics, Shapes.ModelSurface? Surface = null) where T : class;
}
