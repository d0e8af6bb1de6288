using System;

namespace ModelDsl;

/// <summary>
/// <c>nn.Conv2d</c>. Input channels come from the previous layer. Square sizes with <see cref="Kernel"/>,
/// <see cref="Stride"/>, <see cref="Padding"/>, <see cref="Dilation"/>; rectangular ones with the
/// <c>…H</c>/<c>…W</c> properties, which override the square value for their dimension.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2dAttribute : LayerAttribute
{
    /// <summary>A conv that keeps its input's channel count; set <see cref="Kernel"/>.</summary>
    public Conv2dAttribute() { }

    /// <summary>A conv with <paramref name="outChannels"/> outputs; set <see cref="Kernel"/> or <see cref="KernelH"/>/<see cref="KernelW"/>.</summary>
    public Conv2dAttribute(int outChannels) => OutChannels = outChannels;

    public Conv2dAttribute(int outChannels, int kernel)
    {
        OutChannels = outChannels;
        Kernel = kernel;
    }

    /// <summary>Output channels. Omitted: the same as the input's.</summary>
    public int OutChannels { get; set; }
    public int Kernel { get; set; }
    public int KernelH { get; set; }
    public int KernelW { get; set; }
    public int Stride { get; set; } = 1;
    public int StrideH { get; set; }
    public int StrideW { get; set; }
    /// <summary>Zero padding on each side, or <see cref="Pad.Same"/> / <see cref="Pad.Valid"/>.</summary>
    public int Padding { get; set; }
    public int PaddingH { get; set; }
    public int PaddingW { get; set; }
    public int Dilation { get; set; } = 1;
    public int DilationH { get; set; }
    public int DilationW { get; set; }
    public int Groups { get; set; } = 1;
    public bool Bias { get; set; } = true;
    public PaddingMode PaddingMode { get; set; } = PaddingMode.Zeros;
}
