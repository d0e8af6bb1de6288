using System;

namespace ModelDsl;

/// <summary>
/// What the padding layers share: <see cref="Padding"/> on every side, or each side on its own (PyTorch's tuple order
/// is left, right, top, bottom); a side given on its own overrides <see cref="Padding"/>. Sides must be ≥ 0. Or
/// <see cref="SizeOf"/>: as much as makes the map a tap's size.
/// </summary>
public abstract class PaddingLayerAttribute : LayerAttribute
{
    protected PaddingLayerAttribute() { }
    protected PaddingLayerAttribute(int padding) => Padding = padding;

    public int Padding { get; set; }

    /// <summary>
    /// Pad to the height and width of a tap (or <c>"input"</c>) instead of by fixed sides — the U-Net pad-to-match for maps of
    /// odd sizes: the difference split as <c>F.pad(x, [dw // 2, dw − dw // 2, dh // 2, dh − dh // 2])</c>. The map must not be
    /// larger than the reference (checked at compile time; at run time in a net of any size).
    /// </summary>
    public string? SizeOf { get; set; }

    public int Left { get; set; }
    public int Right { get; set; }
    public int Top { get; set; }
    public int Bottom { get; set; }
}

/// <summary><c>nn.ZeroPad2d</c>: zeros around the map.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ZeroPad2dAttribute : PaddingLayerAttribute
{
    public ZeroPad2dAttribute() { }
    public ZeroPad2dAttribute(int padding) : base(padding) { }
}

/// <summary><c>nn.ConstantPad2d</c>: <see cref="Value"/> around the map.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ConstantPad2dAttribute : PaddingLayerAttribute
{
    public ConstantPad2dAttribute() { }
    public ConstantPad2dAttribute(int padding, double value) : base(padding) => Value = value;

    public double Value { get; set; }
}

/// <summary><c>nn.ReflectionPad2d</c>: the map mirrored at its edges; every side's padding must be smaller than the input's size on that axis.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ReflectionPad2dAttribute : PaddingLayerAttribute
{
    public ReflectionPad2dAttribute() { }
    public ReflectionPad2dAttribute(int padding) : base(padding) { }
}

/// <summary><c>nn.ReplicationPad2d</c>: the edge pixels repeated.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ReplicationPad2dAttribute : PaddingLayerAttribute
{
    public ReplicationPad2dAttribute() { }
    public ReplicationPad2dAttribute(int padding) : base(padding) { }
}
