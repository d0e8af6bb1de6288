using System;

namespace ModelDsl;

/// <summary><c>nn.Upsample</c>, by <see cref="ScaleFactor"/> or to a fixed <see cref="Height"/>×<see cref="Width"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class UpsampleAttribute : LayerAttribute
{
    public UpsampleAttribute() { }
    public UpsampleAttribute(double scaleFactor) => ScaleFactor = scaleFactor;

    public double ScaleFactor { get; set; }
    public int Height { get; set; }
    public int Width { get; set; }
    public UpsampleMode Mode { get; set; } = UpsampleMode.Nearest;

    /// <summary>
    /// Upsample to the height and width of a tap (<c>SizeOf = "skip1"</c>) or of the model's input (<c>SizeOf = "input"</c>;
    /// in a block, the block's input): a fully convolutional net then returns its input's size at any size
    /// (<c>F.interpolate(x, size=ref.shape[-2:])</c>). Instead of <see cref="ScaleFactor"/> or <see cref="Height"/>/<see cref="Width"/>.
    /// </summary>
    public string? SizeOf { get; set; }
    /// <summary>Only for Bilinear/Bicubic, as in PyTorch.</summary>
    public bool AlignCorners { get; set; }
}
