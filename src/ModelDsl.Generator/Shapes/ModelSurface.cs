using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator.Shapes
{
    /// <summary>
    /// The public surface of a model or block whose analysis found errors: what its generated class would declare, as far
    /// as it is known without the shapes. Emitted (ModelSurfaceEmitter) so that the user's code that uses the class still
    /// binds and the only errors on screen are the MDSL ones, not a CS0117 per use of a generated member.
    /// </summary>
    /// <param name="Problem">The errors in words, for the members that cannot answer (they throw it) and the docs.</param>
    /// <param name="Input">The per-sample input shape when [Model] states a valid fixed one; else null.</param>
    /// <param name="AnySizeChannels">The input channels of a net of any input size; 0 otherwise.</param>
    /// <param name="Members">The layer (and stage) properties whose module type is known without the shapes.</param>
    /// <param name="Heads">The heads' names, for the output record and the head shape members.</param>
    /// <param name="BlockShortcut">A block with a projection shortcut: its constructor takes the shortcut's arguments too.</param>
    /// <param name="BlockActivation">A residual block's activation after the addition (the property's module type), or null.</param>
    internal sealed record ModelSurface(
        GeneratedType Type,
        bool IsBlock,
        string Problem,
        Shape? Input,
        long AnySizeChannels,
        EquatableArray<SurfaceMember> Members,
        EquatableArray<string> Heads,
        bool BlockShortcut = false,
        string? BlockActivation = null);

    /// <summary>One property of a <see cref="ModelSurface"/>: its name, module type and what it is, for its doc comment.</summary>
    internal sealed record SurfaceMember(string Name, string TypeName, string Description);
}
