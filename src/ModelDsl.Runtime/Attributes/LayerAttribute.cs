using System;

namespace ModelDsl;

/// <summary>Base of every layer attribute.</summary>
public abstract class LayerAttribute : Attribute
{
    /// <summary>
    /// The name of the generated property for this layer. Default: the kind and a running number
    /// (<c>Conv1</c>, <c>Conv2</c>, <c>Relu1</c>, <c>Linear1</c>, …).
    /// </summary>
    public string? Name { get; set; }
}
