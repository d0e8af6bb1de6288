using System;

namespace ModelDsl;

/// <summary>Inserts the <see cref="BlockAttribute">[Block]</see> class <typeparamref name="TBlock"/> here, <see cref="Repeat"/> times.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class UseAttribute<TBlock> : Attribute where TBlock : class
{
    /// <summary>How many copies of the block to chain (each with its own weights). Default 1.</summary>
    public int Repeat { get; set; } = 1;

    /// <summary>Property name (or name prefix, when repeated) of the inserted blocks.</summary>
    public string? Name { get; set; }
}
