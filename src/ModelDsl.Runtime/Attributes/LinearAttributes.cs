using System;

namespace ModelDsl;

/// <summary><c>nn.Flatten()</c>: C×H×W → C·H·W.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : LayerAttribute
{
}

/// <summary>
/// <c>nn.Linear</c>. The input size is inferred from the flattened input at compile time; state it
/// with <see cref="InFeatures"/> to have it checked.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LinearAttribute : LayerAttribute
{
    public LinearAttribute(int outFeatures) => OutFeatures = outFeatures;

    /// <summary>A Linear sized by a run-time argument of the model (<c>[Model(Args = "NumClasses = 10")]</c>): <c>Linear("NumClasses")</c>.</summary>
    public LinearAttribute(string outFeatures) => OutFeatures = outFeatures;

    /// <summary>The output size: an integer, or (for the model's last layer) the name of a run-time argument.</summary>
    public object OutFeatures { get; }
    /// <summary>Declared input size, checked against what the previous layer produces.</summary>
    public int InFeatures { get; set; }
    public bool Bias { get; set; } = true;
}

/// <summary>
/// <c>nn.Linear</c> over the channels of each pixel of a C×H×W map — ConvNeXt's MLP, which torchvision writes as
/// <c>Permute([0, 2, 3, 1])</c>, <c>nn.Linear</c>, …, <c>Permute([0, 3, 1, 2])</c> — with nn.Linear's out×in weight, so
/// its state_dict loads as torchvision writes it. Emitted as <c>ModelDsl.PointwiseLinear</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class PointwiseLinearAttribute : LayerAttribute
{
    /// <summary>A PointwiseLinear that keeps its input's channel count, or whose <see cref="OutFeatures"/> is set by name.</summary>
    public PointwiseLinearAttribute() { }

    public PointwiseLinearAttribute(int outFeatures) => OutFeatures = outFeatures;

    /// <summary>Output channels (an integer, or an expression in a block: <c>"4 * In"</c>). Omitted: the same as the input's.</summary>
    public object OutFeatures { get; set; } = 0;
    public bool Bias { get; set; } = true;
}
