using System.Linq;
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
        ProjectionShortcut? Shortcut,
        EquatableArray<BlockStep> Graph = default)
    {
        /// <summary>A graph block (taps, From, merges, blocks in it): built from the parts a model passes, run by <see cref="Graph"/>.</summary>
        public bool IsGraph => Graph.Count > 0;

        /// <summary>Some member's key is an expression (a Sequential index after a conditional piece): the model passes each use's keys.</summary>
        public bool DynamicKeys => Layers.Any(m => !m.IsFlag && StateDictKeys.IsExpression(m.Key));
    }

    /// <summary>
    /// One step of a graph block's forward, in declaration order: run a member (<see cref="Module"/>), name the current tensor
    /// (<see cref="Tap"/>), restart from a tap (<see cref="From"/>), or merge a tap into the current tensor (<see cref="Add"/>,
    /// <see cref="Concat"/>, <see cref="Multiply"/>; an Add's <see cref="Member"/> is its projection, absent where a use needs none).
    /// </summary>
    internal sealed record BlockStep(string Kind, string? Member, string? TapName, bool TapFirst = false, string? Flag = null, bool Optional = false, string? Arguments = null)
    {
        public const string Module = "module", Tap = "tap", From = "from", Add = "add", Concat = "concat", Multiply = "multiply";

        /// <summary>An Upsample(SizeOf = tap): <see cref="Arguments"/> holds ForwardSteps.UpsampleTo's mode and alignment.</summary>
        public const string UpsampleTo = "upsampleto";
        /// <summary>A padding layer with SizeOf = tap: <see cref="Arguments"/> holds ForwardSteps.PadTo's mode and value.</summary>
        public const string PadTo = "padto";

        /// <summary>A part of a [Chunk]: <see cref="TapName"/> becomes a slice of the current tensor's channels (<see cref="Arguments"/>: "index, parts").</summary>
        public const string Chunk = "chunk";
    }

    /// <summary>
    /// One layer property of a block class, registered under <paramref name="Key"/> (its state_dict segment; its name unless a
    /// Key is stated). In a graph block the model builds it (<see cref="LayerCode.Construction"/> unused); <paramref name="Optional"/>:
    /// a projection a use may not need (null there).
    /// </summary>
    internal sealed record BlockMember(string Name, LayerCode Code, string Key, bool Optional = false)
    {
        /// <summary>The type of a merge's on/off flag: a conditional merge (<c>When</c>) holds no module, only whether it runs.</summary>
        public const string FlagType = "bool";

        public bool IsFlag => Code.TypeName == FlagType;
    }

    /// <summary>The construction calls of a block's 1×1 conv + batch-norm projection shortcut.</summary>
    internal sealed record ProjectionShortcut(string ConvCall, string BatchNormCall);
}
