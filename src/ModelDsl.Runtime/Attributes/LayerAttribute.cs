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

    /// <summary>
    /// The layer's segment in the state_dict, where it differs from its property name: torchvision's numbered
    /// Sequential children (<c>Key = "0"</c> gives <c>features.0.weight</c> for a layer in stage <c>features</c>) while
    /// the C# property keeps a readable name. One segment: no dots; unique in its stage, block or model. Default: <see cref="Name"/>.
    /// </summary>
    public string? Key { get; set; }

    /// <summary>
    /// In a [Block]: a condition over the block's parameters and <c>In</c> (<c>"Stride == 1 &amp;&amp; In == Out"</c>, torchvision's
    /// <c>use_res_connect</c>; <c>"Expand != 1"</c>); where it is false at a use, the layer is not there (no module, no keys).
    /// </summary>
    public string? When { get; set; }
}
