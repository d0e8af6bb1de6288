using System;

namespace ModelDsl;

/// <summary>
/// <c>x.reshape(N, *Shape)</c>: gives each sample the dimensions <see cref="Shape"/> (without the batch
/// dimension), e.g. <c>[Reshape(7, 7, 30)]</c> for a YOLO head's S×S×(B·5+C). One dimension may be -1: it takes
/// what the others leave. The element count must equal the input's (checked at compile time, MDSL0035).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ReshapeAttribute : LayerAttribute
{
    public ReshapeAttribute(params int[] shape) => Shape = shape ?? new int[0];

    /// <summary>The per-sample dimensions, 1 to 4 of them; at most one -1.</summary>
    public int[] Shape { get; }
}

/// <summary>
/// <c>x.permute(0, *[d + 1 for d in Dims])</c>: reorders each sample's dimensions. <see cref="Dims"/> are
/// per sample, without the batch dimension, like <see cref="ReshapeAttribute"/>'s: <c>[Permute(1, 2, 0)]</c> turns
/// C×H×W into H×W×C (PyTorch's <c>permute(0, 2, 3, 1)</c>). They must be a permutation of 0 … rank − 1 (MDSL0036).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class PermuteAttribute : LayerAttribute
{
    public PermuteAttribute(params int[] dims) => Dims = dims ?? new int[0];

    /// <summary>The new order of the per-sample dimensions.</summary>
    public int[] Dims { get; }
}
