using System;

namespace ModelDsl;

/// <summary>
/// Declares a reusable block: its layer attributes, in source order, form a module that models insert
/// with <see cref="UseAttribute{TBlock}"/>. A block's shapes are checked at every place it is used,
/// because they depend on what flows into it. Layers that omit their channel count (e.g.
/// <c>[Conv2d(Kernel = 3, Padding = 1)]</c>) keep the channels they receive.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class BlockAttribute : Attribute
{
    /// <summary>
    /// The block's parameters, with defaults where they have one: <c>"Out, Stride = 1, Expand = 1"</c>. A use passes them
    /// (<c>[Use&lt;InvertedResidual&gt;("24, Stride = 2, Expand = 6")]</c>); the block's layer arguments use them, and
    /// <c>In</c> (its input channels), in expressions (<c>Conv2d(OutChannels = "In * Expand", …)</c>), evaluated and checked at each use.
    /// </summary>
    public string? Params { get; set; }
}
