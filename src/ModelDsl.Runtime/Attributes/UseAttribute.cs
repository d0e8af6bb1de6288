using System;

namespace ModelDsl;

/// <summary>Inserts the <see cref="BlockAttribute">[Block]</see> class <typeparamref name="TBlock"/> here, <see cref="Repeat"/> times.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class UseAttribute<TBlock> : Attribute where TBlock : class
{
    /// <summary>Inserts a block without parameters (or with all of them at their defaults).</summary>
    public UseAttribute() { }

    /// <summary>
    /// Inserts a block with these parameter values, as a call reads: positional first, then named —
    /// <c>"24, Stride = 2, Expand = 6"</c>. Each value is an expression (inside a block, over its own parameters and <c>In</c>).
    /// </summary>
    public UseAttribute(string args) => Args = args;

    /// <summary>The parameter values (see the constructor); null: none.</summary>
    public string? Args { get; }

    /// <summary>How many copies of the block to chain (each with its own weights). Default 1.</summary>
    public int Repeat { get; set; } = 1;

    /// <summary>Property name (or name prefix, when repeated) of the inserted blocks.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// The block's segment in the state_dict (default: its property name). With <see cref="Repeat"/> &gt; 1 it must be an
    /// integer, the first of the copies' consecutive indices, as torchvision numbers a Sequential of blocks (<c>layer1.0</c>, <c>layer1.1</c>, …).
    /// </summary>
    public string? Key { get; set; }

    /// <summary>In a [Block]: a condition over its parameters and <c>In</c>; where it is false at a use, the inner block is not there.</summary>
    public string? When { get; set; }
}
