using System;

namespace ModelDsl;

/// <summary>
/// Groups the layers that follow it (up to the next stage) into a named <c>Sequential</c> property,
/// for freezing, inspection and per-stage learning rates.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class StageAttribute : Attribute
{
    public StageAttribute(string name) => Name = name;

    /// <summary>The property name of the stage, e.g. "FeatureExtractor".</summary>
    public string Name { get; }
}
