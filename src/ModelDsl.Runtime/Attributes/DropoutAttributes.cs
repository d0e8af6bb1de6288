using System;

namespace ModelDsl;

/// <summary><c>nn.Dropout(p)</c>: zeroes each value with probability p while training.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute : LayerAttribute
{
    public DropoutAttribute() { }
    public DropoutAttribute(double p) => P = p;

    /// <summary>Drop probability in [0, 1). Default 0.5. A number, or in a [Block] with parameters an expression string (<c>"0.1 * Id / 17"</c>).</summary>
    public object P { get; set; } = 0.5;
}

/// <summary><c>nn.Dropout2d(p)</c>: zeroes whole channels with probability p while training.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Dropout2dAttribute : LayerAttribute
{
    public Dropout2dAttribute() { }
    public Dropout2dAttribute(double p) => P = p;

    /// <summary>Drop probability in [0, 1). Default 0.5. A number, or in a [Block] with parameters an expression string.</summary>
    public object P { get; set; } = 0.5;
}

/// <summary>
/// torchvision's <c>ops.StochasticDepth(p, mode)</c>: while training, drops the whole residual branch with probability
/// <see cref="P"/> — per sample (<see cref="StochasticDepthMode.Row"/>) or for the whole batch — and scales the survivors
/// by 1/(1 − p); the identity in eval mode. It ends a residual branch, before the addition (ConvNeXt, EfficientNet).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class StochasticDepthAttribute : LayerAttribute
{
    public StochasticDepthAttribute() { }
    public StochasticDepthAttribute(double p) => P = p;

    /// <summary>
    /// Drop probability in [0, 1). A number, or in a [Block] with parameters an expression string over them — torchvision
    /// scales it with the block's place, <c>stochastic_depth_prob * block_id / (total_blocks - 1)</c>: <c>"0.1 * Id / 17"</c>.
    /// </summary>
    public object P { get; set; } = 0.0;
    public StochasticDepthMode Mode { get; set; } = StochasticDepthMode.Row;
}
