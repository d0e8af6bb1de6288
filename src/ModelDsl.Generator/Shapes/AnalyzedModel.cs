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
        EquatableArray<string> Stages,
        AnySizeModel? AnySize = null,
        EquatableArray<HeadOutput> Heads = default,
        EquatableArray<RuntimeArg> RuntimeArgs = default)
    {
        /// <summary>The receptive field of the output (the last head's, with heads), computed by <see cref="ReceptiveFields"/>.</summary>
        public LayerField Field { get; init; } = LayerField.Input;

        /// <summary>A model with heads returns a generated record of one tensor per head instead of one tensor.</summary>
        public bool HasHeads => Heads.Count > 0;
    }

    /// <summary>
    /// One head of a model: its name (the output record's property, the stage, "{Name}Shape") and its output shape
    /// (at the reference input for a net of any size).
    /// </summary>
    internal sealed record HeadOutput(string Name, Shape Output);

    /// <summary>
    /// A net declared with Channels alone: the per-axis programs the generated code rebuilds, the accepted
    /// sizes in words, and how the output follows the input. <see cref="AnalyzedModel.Input"/> and the layers'
    /// shapes are then those at the reference size <see cref="AnalyzedModel.Input"/> (an accepted one).
    /// </summary>
    /// <remarks>
    /// <see cref="HeadSteps"/>: per head of <see cref="AnalyzedModel.Heads"/>, the step after which the programs
    /// hold its output size, or <see cref="FixedSize"/> when that size does not follow the input (after a Flatten).
    /// </remarks>
    internal sealed record AnySizeModel(AxisProgram Height, AxisProgram Width, string Accepts, EquatableArray<int> HeadSteps = default, bool FixedOutput = false)
    {
        public const int FixedSize = int.MinValue;
    }

    /// <summary>
    /// One layer (or block use) at its place in a model: output shape, parameters, multiply-adds per
    /// sample, and its generated code. A block use lists its layers (and projection shortcut) as
    /// <see cref="Children"/>, named "Block1.Conv1". <see cref="Graph"/> marks a tap or a merge (no module
    /// of its own, except an Add's projection, whose conv and batch norm are its children).
    /// </summary>
    /// <remarks>
    /// <see cref="FieldStep"/>: what the layer does to the receptive field (null for a block, a tap, a merge); <see cref="Field"/>: the
    /// receptive field of its output, set by <see cref="ReceptiveFields"/> once the model is valid; <see cref="Residual"/>: a block use
    /// that adds its input to its body's output.
    /// </remarks>
    internal sealed record ResolvedLayer(
        string Name,
        string KindName,
        string? Stage,
        Shape Input,
        Shape Output,
        long Parameters,
        long MultiplyAdds,
        LayerCode Code,
        EquatableArray<ResolvedLayer> Children,
        GraphEdge? Graph = null,
        string? Key = null,
        string? Arguments = null,
        FieldStep? FieldStep = null,
        bool Residual = false,
        LayerField? Field = null)
    {
        /// <summary>What the summary's type column shows: the kind, and a parameterised block use's values ("ConvBn(Out = 16, Stride = 2)").</summary>
        public string TypeText => Arguments is null ? KindName : $"{KindName}({Arguments})";

        public bool IsBlock => Children.Count > 0;

        /// <summary>
        /// The layer's segment in the state_dict where it is registered (its stage's Sequential, its block, the model):
        /// the stated <see cref="Key"/>, else the last part of its name ("Block1.Conv2" registers as "Conv2" in its block).
        /// </summary>
        public string Segment => Key ?? Name.Substring(Name.LastIndexOf('.') + 1);

        /// <summary>A part of a residual block's projection shortcut (registered in its Shortcut Sequential), beside the block's body.</summary>
        public bool IsShortcut => Key is not null && Key.StartsWith(ShortcutKey, System.StringComparison.Ordinal);

        /// <summary>The key prefix of a residual block's shortcut parts.</summary>
        public const string ShortcutKey = "Shortcut.";

        /// <summary>False for a tap and for a merge without projection: nothing to construct or register.</summary>
        public bool HasModule => Graph is null || Graph.Projected;
    }

    /// <summary>
    /// A run-time argument of a model (<c>[Model(Args = "NumClasses = 10")]</c>): its default, the layers it sizes (the
    /// model's or heads' last), and how many parameters one more unit adds (for <c>ParameterCountFor</c>).
    /// </summary>
    internal sealed record RuntimeArg(string Name, long Default, long ParametersPerUnit, EquatableArray<string> Sizes)
    {
        /// <summary>The constructor parameter: "NumClasses" → "numClasses".</summary>
        public string Parameter => ParameterName(Name);

        /// <summary>The constructor parameter of the run-time argument <paramref name="name"/> (also while its record is still being built).</summary>
        public static string ParameterName(string name) => "@" + char.ToLowerInvariant(name[0]) + name.Substring(1);
    }

    /// <summary>
    /// A tap, a merge or a head's start in a graph model. <see cref="Op"/> is "Tap", "Add", "Concat", "Multiply" or "Head"; <see cref="Tap"/> the
    /// tap's name; <see cref="Source"/> the layer whose output the tap names ("input" for the model's input);
    /// <see cref="Projected"/> an Add whose tapped operand goes through its 1×1 projection first.
    /// </summary>
    /// <remarks><see cref="TapFirst"/>: a Concat that puts the tapped channels before the current ones.</remarks>
    internal sealed record GraphEdge(string Op, string Tap, string Source, bool Projected = false, bool TapFirst = false, string? Arguments = null)
    {
        /// <summary>An Upsample to a tap's (or the input's) height and width; <see cref="Arguments"/> carries its mode.</summary>
        public const string UpsampleToOp = "UpsampleTo";
        /// <summary>A padding layer's SizeOf: ForwardSteps.PadTo pads the current map to the tap's height and width.</summary>
        public const string PadToOp = "PadTo";

        /// <summary>One part of a [Chunk]: a tap that is a slice of the current tensor's channels; <see cref="Arguments"/>: ", index, parts".</summary>
        public const string ChunkOp = "Chunk";

        /// <summary>The tap name that means the model's (or a block's) input, where no tap has that name.</summary>
        public const string InputTap = "input";

        public const string TapOp = "Tap";
        public const string AddOp = "Add";
        public const string ConcatOp = "Concat";
        public const string MultiplyOp = "Multiply";
        /// <summary>A [From]: the chain continues from <see cref="Tap"/>.</summary>
        public const string FromOp = "From";
        /// <summary>The start of a head: the chain continues from <see cref="Tap"/>.</summary>
        public const string HeadOp = "Head";
    }

    /// <summary>A layer's generated code: the property's module type, the constructor call, and the PyTorch-style description for its docs.</summary>
    /// <remarks><see cref="Export"/>: the C# expression of its <c>ModelDsl.Interop.LayerOp</c>, null when the layer has none yet.</remarks>
    internal sealed record LayerCode(string TypeName, string Construction, string Description, string? Export = null)
    {
        /// <summary>The code of a node without a module (a tap, a plain merge).</summary>
        public static LayerCode None(string description, string? export = null) => new("", "", description, export);
    }
}
