using System;

namespace ModelDsl.Generator.Parsing
{
    /// <summary>
    /// One argument a user wrote on a layer attribute (constructor or named), normalised to the
    /// property name. Only written arguments are recorded: defaults live in the shape engine, which
    /// must tell "not given" from "given as 0". An array argument (Reshape's dimensions) keeps its
    /// elements in <see cref="Values"/>.
    /// </summary>
    internal sealed record LayerArg(string Name, long Integer, double Real, string? Text, LocationInfo? Location, EquatableArray<long> Values = default)
    {
        public bool Boolean => Integer != 0;
    }
}
