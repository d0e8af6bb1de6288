using System;

namespace ModelDsl;

/// <summary>
/// Declares a network. The layer attributes that follow, in source order, are its layers; the
/// ModelDsl generator turns the <c>partial class</c> into a TorchSharp <c>Module&lt;Tensor, Tensor&gt;</c>
/// and checks every tensor shape at compile time. Give the per-sample input shape as
/// <see cref="Channels"/>×<see cref="Height"/>×<see cref="Width"/> (images) or <see cref="Features"/> (vectors).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ModelAttribute : Attribute
{
    /// <summary>Input channels (1 for grayscale, 3 for RGB).</summary>
    public int Channels { get; set; }
    /// <summary>Input height in pixels.</summary>
    public int Height { get; set; }
    /// <summary>Input width in pixels.</summary>
    public int Width { get; set; }
    /// <summary>Input size of a model over flat vectors (instead of Channels/Height/Width).</summary>
    public int Features { get; set; }

    /// <summary>
    /// Run-time arguments with their defaults, e.g. <c>"NumClasses = 1000"</c>: the generated constructor takes them
    /// (<c>new Net(numClasses: 7)</c>) and the model's (or a head's) last layer may be sized by one —
    /// <c>Linear(OutFeatures = "NumClasses")</c>, <c>Conv2d(OutChannels = "NumClasses", Kernel = 1)</c>. Everything else is
    /// checked at compile time as before; shapes and counts are shown at the defaults, <c>ParameterCountFor(…)</c> gives others.
    /// </summary>
    public string? Args { get; set; }
}
