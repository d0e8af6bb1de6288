using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator.Shapes
{
    /// <summary>
    /// A [Block] class after its declaration is checked: all the block emitter reads. A block's shapes
    /// depend on where it is used, so its code is written over the constructor's <c>channels</c>.
    /// <see cref="Activation"/> is the TorchSharp module applied after the residual addition (null for
    /// none); <see cref="Shortcut"/> is present when the block allows a projection.
    /// </summary>
    internal sealed record AnalyzedBlock(
        GeneratedType Type,
        EquatableArray<BlockMember> Layers,
        bool IsResidual,
        string? Activation,
        ProjectionShortcut? Shortcut);

    /// <summary>One layer property of a block class, registered under <paramref name="Key"/> (its state_dict segment; its name unless a Key is stated).</summary>
    internal sealed record BlockMember(string Name, LayerCode Code, string Key);

    /// <summary>The construction calls of a block's 1×1 conv + batch-norm projection shortcut.</summary>
    internal sealed record ProjectionShortcut(string ConvCall, string BatchNormCall);
}
