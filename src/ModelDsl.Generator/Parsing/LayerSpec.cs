namespace ModelDsl.Generator.Parsing
{
    /// <summary>
    /// A layer as declared: its kind (the attribute class name without "Attribute", or
    /// <see cref="StageKind"/>/<see cref="BlockKind"/>), the arguments written on it and where. For a
    /// block use, <see cref="Block"/> holds the block's own layers.
    /// </summary>
    internal sealed record LayerSpec(
        string Kind,
        string? Name,
        string? Stage,
        LocationInfo? Location,
        EquatableArray<LayerArg> Args,
        BlockSpec? Block)
    {
        /// <summary>Marks where a [Stage] starts; stripped before shape analysis.</summary>
        public const string StageKind = "[Stage]";

        /// <summary>A [Use&lt;TBlock&gt;] insertion: one instance of a block.</summary>
        public const string BlockKind = "[Use]";

        /// <summary>A [Tap("name")]: names the tensor at this point; <see cref="Name"/> holds the tap's name.</summary>
        public const string TapKind = "[Tap]";

        /// <summary>
        /// A [Head("Name", From = "tap")]: starts an output branch; <see cref="Name"/> holds the head's name, which
        /// is also the <see cref="Stage"/> of the head and of every layer after it up to the next head.
        /// </summary>
        public const string HeadKind = "[Head]";

        /// <summary>A [From("tap")]: the chain restarts from the tap; <see cref="Name"/> holds the tap's name.</summary>
        public const string FromKind = "[From]";

        /// <summary>
        /// One part of a [Chunk("a", "b", …)]: <see cref="Name"/> names the tap of part <c>Index</c> of <c>Parts</c> (arguments)
        /// of the current tensor's channels; a chunk of n taps is n such markers in a row.
        /// </summary>
        public const string ChunkKind = "[Chunk]";

        public bool IsStage => Kind == StageKind;
        public bool IsFrom => Kind == FromKind;
        /// <summary>A tap, a head or a From: a point of the graph, not a layer (no module, no property name).</summary>
        public bool IsMarker => IsTap || IsHead || IsFrom || IsChunk;
        /// <summary>A point that defines a tap: a [Tap], or one part of a [Chunk].</summary>
        public bool DefinesTap => IsTap || IsChunk;
        public bool IsChunk => Kind == ChunkKind;
        public bool IsTap => Kind == TapKind;
        public bool IsHead => Kind == HeadKind;
        public bool IsBlock => Kind == BlockKind;

        public LayerArg? Arg(string name)
        {
            foreach (var a in Args)
                if (a.Name == name) return a;
            return null;
        }

        public bool Has(string name) => Arg(name) is not null;

        public long Int(string name, long fallback) => Arg(name) is { } a ? a.Integer : fallback;

        public double Real(string name, double fallback) => Arg(name) is { } a ? a.Real : fallback;

        public bool Bool(string name, bool fallback) => Arg(name) is { } a ? a.Boolean : fallback;

        /// <summary>The location of an argument if it was written, else of the whole attribute.</summary>
        public LocationInfo? LocationOf(string name) => Arg(name)?.Location ?? Location;
    }

    /// <summary>A [Block] class as used by a model: its type, layers, residual wiring and the names its own members take.</summary>
    internal sealed record BlockSpec(
        string TypeName,
        string FullyQualifiedTypeName,
        EquatableArray<LayerSpec> Layers,
        bool IsResidual,
        string ResidualThen,
        bool Projection,
        EquatableArray<string> MemberNames,
        long DeclaredStride = 0,
        EquatableArray<BlockParam> Params = default)
    {
        /// <summary>
        /// A block with taps, From, merges or blocks of its own: a graph, not a chain. The model builds its parts for each use
        /// (their shapes differ per use) and passes them to the block's parts constructor; a chain block builds itself from its input channels.
        /// </summary>
        public bool IsGraph
        {
            get
            {
                if (Params.Count > 0) return true; // its numbers differ per use: the model builds its parts
                foreach (var layer in Layers)
                    if (layer.IsMarker || layer.IsBlock || global::ModelDsl.Generator.Layers.MergeLayers.IsMerge(layer.Kind) || layer.Has("SizeOf")
                        || global::System.Linq.Enumerable.Any(global::ModelDsl.Generator.Shapes.BlockParameters.Expressions(layer))) return true; // Groups = "In": per use
                return false;
            }
        }
    }

    /// <summary>One parameter of a [Block(Params = "…")]: its name and, when it has one, its default (an expression).</summary>
    internal sealed record BlockParam(string Name, string? Default)
    {
        /// <summary>"Stride = 1" → (Stride, "1"); "Out" → (Out, null).</summary>
        public static BlockParam Parse(string text)
        {
            int eq = text.IndexOf('=');
            return eq < 0 ? new BlockParam(text.Trim(), null) : new BlockParam(text.Substring(0, eq).Trim(), text.Substring(eq + 1).Trim());
        }

        public override string ToString() => Default is null ? Name : $"{Name} = {Default}";
    }
}
