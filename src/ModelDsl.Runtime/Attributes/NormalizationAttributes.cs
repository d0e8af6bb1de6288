using System;

namespace ModelDsl;

/// <summary><c>nn.BatchNorm2d</c> over a C×H×W map. Features default to the input's channels.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BatchNorm2dAttribute : LayerAttribute
{
    public BatchNorm2dAttribute() { }
    /// <summary>States the feature count; it is checked against the input's channels.</summary>
    public BatchNorm2dAttribute(int numFeatures) => NumFeatures = numFeatures;

    public int NumFeatures { get; set; }
    public double Eps { get; set; } = 1e-5;
    public double Momentum { get; set; } = 0.1;
    public bool Affine { get; set; } = true;
    public bool TrackRunningStats { get; set; } = true;
}

/// <summary><c>nn.BatchNorm1d</c> over a flat vector. Features default to the input's size.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BatchNorm1dAttribute : LayerAttribute
{
    public BatchNorm1dAttribute() { }
    public BatchNorm1dAttribute(int numFeatures) => NumFeatures = numFeatures;

    public int NumFeatures { get; set; }
    public double Eps { get; set; } = 1e-5;
    public double Momentum { get; set; } = 0.1;
    public bool Affine { get; set; } = true;
    public bool TrackRunningStats { get; set; } = true;
}
