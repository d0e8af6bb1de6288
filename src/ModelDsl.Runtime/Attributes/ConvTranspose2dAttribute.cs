using System;

namespace ModelDsl;

/// <summary><c>nn.ConvTranspose2d</c> (a learned upsampling). Same conventions as <see cref="Conv2dAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ConvTranspose2dAttribute : LayerAttribute
{
    public ConvTranspose2dAttribute() { }

    public ConvTranspose2dAttribute(int outChannels) => OutChannels = outChannels;

    public ConvTranspose2dAttribute(int outChannels, int kernel)
    {
        OutChannels = outChannels;
        Kernel = kernel;
    }

    public int OutChannels { get; set; }
    public int Kernel { get; set; }
    public int KernelH { get; set; }
    public int KernelW { get; set; }
    public int Stride { get; set; } = 1;
    public int StrideH { get; set; }
    public int StrideW { get; set; }
    public int Padding { get; set; }
    public int PaddingH { get; set; }
    public int PaddingW { get; set; }
    /// <summary>Extra size added to one side of the output; must be smaller than the stride or the dilation.</summary>
    public int OutputPadding { get; set; }
    public int OutputPaddingH { get; set; }
    public int OutputPaddingW { get; set; }
    public int Dilation { get; set; } = 1;
    public int DilationH { get; set; }
    public int DilationW { get; set; }
    public int Groups { get; set; } = 1;
    public bool Bias { get; set; } = true;
}
