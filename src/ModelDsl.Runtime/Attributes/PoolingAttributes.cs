using System;

namespace ModelDsl;

/// <summary><c>nn.MaxPool2d</c>. The stride defaults to the kernel size, as in PyTorch.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool2dAttribute : LayerAttribute
{
    public MaxPool2dAttribute() { }
    public MaxPool2dAttribute(int kernel) => Kernel = kernel;

    public int Kernel { get; set; }
    public int KernelH { get; set; }
    public int KernelW { get; set; }
    /// <summary>Default: the kernel size.</summary>
    public int Stride { get; set; }
    public int StrideH { get; set; }
    public int StrideW { get; set; }
    public int Padding { get; set; }
    public int PaddingH { get; set; }
    public int PaddingW { get; set; }
    public int Dilation { get; set; } = 1;
    public int DilationH { get; set; }
    public int DilationW { get; set; }
    public bool CeilMode { get; set; }
}

/// <summary><c>nn.AvgPool2d</c>. The stride defaults to the kernel size, as in PyTorch.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AvgPool2dAttribute : LayerAttribute
{
    public AvgPool2dAttribute() { }
    public AvgPool2dAttribute(int kernel) => Kernel = kernel;

    public int Kernel { get; set; }
    public int KernelH { get; set; }
    public int KernelW { get; set; }
    public int Stride { get; set; }
    public int StrideH { get; set; }
    public int StrideW { get; set; }
    public int Padding { get; set; }
    public int PaddingH { get; set; }
    public int PaddingW { get; set; }
    public bool CeilMode { get; set; }
    public bool CountIncludePad { get; set; } = true;
}

/// <summary><c>nn.AdaptiveAvgPool2d</c>: averages to a fixed output size whatever the input size.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AdaptiveAvgPool2dAttribute : LayerAttribute
{
    public AdaptiveAvgPool2dAttribute() { }
    public AdaptiveAvgPool2dAttribute(int size) { OutputHeight = size; OutputWidth = size; }
    public AdaptiveAvgPool2dAttribute(int height, int width) { OutputHeight = height; OutputWidth = width; }

    public int OutputHeight { get; set; }
    public int OutputWidth { get; set; }
}

/// <summary>Global average pooling: <c>nn.AdaptiveAvgPool2d(1)</c>, C×H×W → C×1×1.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalAvgPoolAttribute : LayerAttribute
{
}
