using System;

namespace ModelDsl;

/// <summary>
/// Names the tensor at this point of the chain so that a later <see cref="AddAttribute"/> or
/// <see cref="ConcatAttribute"/> can merge it back in (a skip connection). A tap is no layer: it adds no
/// module and no parameters, and the chain continues from the same tensor.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class TapAttribute : Attribute
{
    public TapAttribute(string name) => Name = name;

    /// <summary>The tap's name, unique in the model, e.g. "skip1".</summary>
    public string Name { get; }
}

/// <summary>
/// Splits the channels of the tensor at this point into equal parts, one tap each, in order: <c>[Chunk("x1", "x2")]</c> is
/// PyTorch's <c>x1, x2 = x.chunk(2, dim=1)</c> (ShuffleNet's unit). Like a tap it adds no module and the chain continues from
/// the same tensor; <see cref="FromAttribute"/> restarts from a part. The channel count must divide into the parts.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ChunkAttribute : Attribute
{
    public ChunkAttribute(params string[] taps) => Taps = taps;

    /// <summary>The parts' tap names, in channel order.</summary>
    public string[] Taps { get; }
}

/// <summary>
/// Restarts the chain from the tensor named by <see cref="Tap"/>: the layers after it run on that tensor, so a model can
/// hold parallel branches from one input (Fire, Inception, an ASPP) — each branch ends in a <see cref="TapAttribute"/>,
/// the next starts with <c>[From]</c>, and a <see cref="ConcatAttribute"/> or <see cref="AddAttribute"/> joins them. Like a
/// tap it is no layer: no module, no parameters.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FromAttribute : Attribute
{
    public FromAttribute(string tap) => Tap = tap;

    /// <summary>The name given to an earlier <see cref="TapAttribute"/>.</summary>
    public string Tap { get; }
}

/// <summary>
/// <c>x + tap</c>: adds the tensor named by <see cref="Tap"/> to the current one (ResNet's identity
/// shortcut, across any number of layers). The shapes must be equal, or set <see cref="Projection"/>
/// for a 1×1 convolution + BatchNorm2d on the tapped tensor that maps its channels (and, with an integer
/// stride, its size) onto the current shape, as torchvision's ResNet downsample does.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AddAttribute : LayerAttribute
{
    public AddAttribute(string tap) => Tap = tap;

    /// <summary>The name given to an earlier <see cref="TapAttribute"/>.</summary>
    public string Tap { get; }
    /// <summary>Project the tapped tensor with a 1×1 conv + BatchNorm2d when its shape differs.</summary>
    public bool Projection { get; set; }
}

/// <summary>
/// <c>torch.cat([x, tap], dim=1)</c>: appends the channels of the tensor named by <see cref="Tap"/> to
/// the current ones (U-Net's skip connection), or puts them first with <see cref="Order"/> =
/// <see cref="ConcatOrder.TapFirst"/> (torchvision's DenseNet, Fire, Inception; several branches: one Concat per tap,
/// the last branch's first). Heights and widths must be equal.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ConcatAttribute : LayerAttribute
{
    public ConcatAttribute(string tap) => Tap = tap;

    /// <summary>The name given to an earlier <see cref="TapAttribute"/>.</summary>
    public string Tap { get; }

    /// <summary>Whose channels come first. Default: the current tensor's.</summary>
    public ConcatOrder Order { get; set; }
}

/// <summary>
/// <c>x * tap</c>, broadcasting as PyTorch does: per axis the sizes are equal or one of them is 1, which is stretched
/// (a squeeze-and-excitation gate C×1×1 times the map C×H×W, in either order). Checked at compile time; a mismatch
/// names both shapes (MDSL0041).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MultiplyAttribute : LayerAttribute
{
    public MultiplyAttribute(string tap) => Tap = tap;

    /// <summary>The name given to an earlier <see cref="TapAttribute"/>.</summary>
    public string Tap { get; }
}

/// <summary>
/// Starts an output branch: the layers after it, up to the next <c>[Head]</c>, run on the tensor named by
/// <see cref="From"/> and make one output of the model. A model with heads is a
/// <c>Module&lt;Tensor, {Model}Output&gt;</c> whose generated record struct holds one tensor per head in
/// source order, with a shape constant (<c>{Name}Shape</c>) and a stage property (<c>{Name}</c>) per head.
/// Only heads are outputs: the trunk (everything before the first <c>[Head]</c>) must end at a tap a head uses.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class HeadAttribute : Attribute
{
    public HeadAttribute(string name) => Name = name;

    /// <summary>The head's name: the output record's property, the stage property and the <c>{Name}Shape</c> constant, e.g. "Classes".</summary>
    public string Name { get; }

    /// <summary>The <see cref="TapAttribute"/> of the trunk whose tensor this head starts from. Required.</summary>
    public string? From { get; set; }
}
