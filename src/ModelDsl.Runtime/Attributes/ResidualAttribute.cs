using System;

namespace ModelDsl;

/// <summary>
/// Makes a <see cref="BlockAttribute">[Block]</see> residual: <c>y = Then(x + f(x))</c>, where f is the
/// block's layers. x and f(x) must have the same shape unless <see cref="Projection"/> is set, in which
/// case a 1×1 convolution with batch norm (the torchvision ResNet shortcut) maps x to f(x)'s shape.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ResidualAttribute : Attribute
{
    /// <summary>Activation applied after the addition. Default: none.</summary>
    public Act Then { get; set; } = Act.None;

    /// <summary>Use a projection shortcut (1×1 conv, stride to match, + BatchNorm2d) when shapes differ.</summary>
    public bool Projection { get; set; }

    /// <summary>
    /// The block's downsampling, which its projection shortcut's stride must equal (0, the default: the largest stride of
    /// one of its layers, as in torchvision's blocks, where one conv strides). A block whose layers together shrink the
    /// map by more — two strided layers — is MDSL0043 instead of a shortcut that silently strides by the product.
    /// </summary>
    public int Stride { get; set; }
}
