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
