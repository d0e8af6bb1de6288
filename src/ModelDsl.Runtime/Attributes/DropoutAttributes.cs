using System;

namespace ModelDsl;

/// <summary><c>nn.Dropout(p)</c>: zeroes each value with probability p while training.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute : LayerAttribute
{
    public DropoutAttribute() { }
    public DropoutAttribute(double p) => P = p;

    /// <summary>Drop probability in [0, 1). Default 0.5.</summary>
    public double P { get; set; } = 0.5;
}

/// <summary><c>nn.Dropout2d(p)</c>: zeroes whole channels with probability p while training.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Dropout2dAttribute : LayerAttribute
{
    public Dropout2dAttribute() { }
    public Dropout2dAttribute(double p) => P = p;

    public double P { get; set; } = 0.5;
}
