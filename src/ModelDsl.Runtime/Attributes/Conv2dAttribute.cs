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

    // OutChannels, Kernel, Stride, Padding, Dilation and Groups take an integer, or — in a [Block] with parameters — an
    // expression string over the block's parameters and In, its input channels ("In * Expand", "(Kernel - 1) / 2"),
    // evaluated at each use. Hence object: C# attributes take either constant there.

    /// <summary>Output channels (an integer, or an expression in a block). Omitted: the same as the input's.</summary>
    public object OutChannels { get; set; } = 0;
    /// <summary>The square kernel size (an integer, or an expression in a block).</summary>
    public object Kernel { get; set; } = 0;
    public int KernelH { get; set; }
    public int KernelW { get; set; }
    /// <summary>The stride (an integer, or an expression in a block).</summary>
    public object Stride { get; set; } = 1;
    public int StrideH { get; set; }
    public int StrideW { get; set; }
    /// <summary>Zero padding on each side, or <see cref="Pad.Same"/> / <see cref="Pad.Valid"/> (an integer, or an expression in a block).</summary>
    public object Padding { get; set; } = 0;
    public int PaddingH { get; set; }
    public int PaddingW { get; set; }
    /// <summary>The dilation (an integer, or an expression in a block).</summary>
    public object Dilation { get; set; } = 1;
    public int DilationH { get; set; }
    public int DilationW { get; set; }
    /// <summary>The groups (an integer, or an expression in a block: depthwise is <c>Groups = "In"</c>).</summary>
    public object Groups { get; set; } = 1;
    public bool Bias { get; set; } = true;
    public PaddingMode PaddingMode { get; set; } = PaddingMode.Zeros;
}
