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
}
