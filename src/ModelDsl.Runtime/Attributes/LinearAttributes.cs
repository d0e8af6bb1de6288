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

    public int OutFeatures { get; }
    /// <summary>Declared input size, checked against what the previous layer produces.</summary>
    public int InFeatures { get; set; }
    public bool Bias { get; set; } = true;
}
