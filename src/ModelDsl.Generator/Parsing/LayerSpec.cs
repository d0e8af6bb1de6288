using System;

namespace ModelDsl.Generator.Parsing
{
    /// <summary>
    /// A layer as declared: its kind, the arguments written on it and where. For a
    /// <see cref="LayerKind.Block"/>, <see cref="Block"/> holds the block's own layers.
    /// </summary>
    internal sealed record LayerSpec(
        LayerKind Kind,
        string? Name,
        string? Stage,
        LocationInfo? Location,
        EquatableArray<LayerArg> Args,
        BlockSpec? Block)
    {
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

    /// <summary>A [Block] class as used by a model: its type, layers and residual wiring.</summary>
    internal sealed record BlockSpec(
        string TypeName,
        string FullyQualifiedTypeName,
        EquatableArray<LayerSpec> Layers,
        bool IsResidual,
        string ResidualThen,
        bool Projection);
}
