using System;

namespace ModelDsl;

/// <summary>Special padding values for <see cref="Conv2dAttribute.Padding"/>.</summary>
public static class Pad
{
    /// <summary>PyTorch's <c>padding='same'</c>: the output keeps the input's size (stride 1 only).</summary>
    public const int Same = int.MinValue;

    /// <summary>PyTorch's <c>padding='valid'</c>: no padding.</summary>
    public const int Valid = 0;
}

/// <summary>An activation applied after a residual addition.</summary>
public enum Act
{
    None,
    ReLU,
    ELU,
    LeakyReLU,
    GELU,
    SiLU,
    Sigmoid,
    Tanh,
    ReLU6,
    Hardswish,
    Hardsigmoid,
    Mish,
}

/// <summary>PyTorch's conv <c>padding_mode</c>.</summary>
public enum PaddingMode
{
    Zeros,
    Reflect,
    Replicate,
    Circular,
}

/// <summary>PyTorch's <c>Upsample</c> modes that apply to 2-D feature maps.</summary>
public enum UpsampleMode
{
    Nearest,
    Bilinear,
    Bicubic,
}

/// <summary>What <see cref="StochasticDepthAttribute"/> drops together: each sample's branch, or the batch's.</summary>
public enum StochasticDepthMode
{
    Row,
    Batch,
}

/// <summary>Where <see cref="ConcatAttribute"/> puts the tapped tensor's channels: after the current ones (U-Net) or before them (torchvision's DenseNet, Fire, Inception).</summary>
public enum ConcatOrder
{
    /// <summary><c>torch.cat([x, tap], 1)</c>.</summary>
    CurrentFirst,
    /// <summary><c>torch.cat([tap, x], 1)</c>.</summary>
    TapFirst,
}
