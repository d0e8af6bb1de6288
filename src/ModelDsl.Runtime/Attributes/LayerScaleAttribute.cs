using System;

namespace ModelDsl;

/// <summary>
/// ConvNeXt's layer scale: the map multiplied by a learnt C×1×1 tensor initialised to <see cref="Init"/>. Keyed as
/// torchvision keys it (<c>Key = "layer_scale"</c>), its parameter is that key itself — a bare parameter of the block, as in
/// torchvision's <c>CNBlock</c>. Emitted as <c>ModelDsl.LayerScale</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LayerScaleAttribute : LayerAttribute
{
    public LayerScaleAttribute() { }
    public LayerScaleAttribute(double init) => Init = init;

    /// <summary>The initial value of every channel's scale (torchvision's ConvNeXt: 1e-6).</summary>
    public double Init { get; set; } = 1e-6;
}
