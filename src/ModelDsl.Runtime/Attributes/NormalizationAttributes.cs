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

/// <summary>
/// <c>nn.GroupNorm(num_groups, num_channels)</c> over a C×H×W map: the channels in NumGroups groups, each normalised
/// over its channels and the map. Channels default to the input's; NumGroups must divide them.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GroupNormAttribute : LayerAttribute
{
    public GroupNormAttribute() { }
    public GroupNormAttribute(int numGroups) => NumGroups = numGroups;

    public int NumGroups { get; set; }
    /// <summary>States the channel count; it is checked against the input's channels.</summary>
    public int NumChannels { get; set; }
    public double Eps { get; set; } = 1e-5;
    public bool Affine { get; set; } = true;
}

/// <summary><c>nn.InstanceNorm2d(num_features)</c>: each channel of each sample normalised over its map. Features default to the input's channels.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class InstanceNorm2dAttribute : LayerAttribute
{
    public InstanceNorm2dAttribute() { }
    public InstanceNorm2dAttribute(int numFeatures) => NumFeatures = numFeatures;

    public int NumFeatures { get; set; }
    public double Eps { get; set; } = 1e-5;
    public double Momentum { get; set; } = 0.1;
    public bool Affine { get; set; }
    public bool TrackRunningStats { get; set; }
}

/// <summary>
/// torchvision's <c>LayerNorm2d</c> (ConvNeXt): <c>nn.LayerNorm</c> over the channels of each pixel of a C×H×W map
/// (channels first), with a weight and bias per channel. ConvNeXt uses Eps = 1e-6; the default is nn.LayerNorm's.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LayerNorm2dAttribute : LayerAttribute
{
    public LayerNorm2dAttribute() { }
    public LayerNorm2dAttribute(int numChannels) => NumChannels = numChannels;

    /// <summary>States the channel count; it is checked against the input's channels.</summary>
    public int NumChannels { get; set; }
    public double Eps { get; set; } = 1e-5;
    public bool ElementwiseAffine { get; set; } = true;
}
