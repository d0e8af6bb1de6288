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
    /// <summary>Only for Bilinear/Bicubic, as in PyTorch.</summary>
    public bool AlignCorners { get; set; }
}
