using System;

namespace ModelDsl;

/// <summary><c>nn.ReLU()</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ReLUAttribute : LayerAttribute { }

/// <summary><c>nn.ELU(alpha)</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ELUAttribute : LayerAttribute
{
    public double Alpha { get; set; } = 1.0;
}

/// <summary><c>nn.LeakyReLU(negative_slope)</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LeakyReLUAttribute : LayerAttribute
{
    public LeakyReLUAttribute() { }
    public LeakyReLUAttribute(double negativeSlope) => NegativeSlope = negativeSlope;

    public double NegativeSlope { get; set; } = 0.01;
}

/// <summary><c>nn.Sigmoid()</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SigmoidAttribute : LayerAttribute { }

/// <summary><c>nn.Tanh()</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class TanhAttribute : LayerAttribute { }

/// <summary><c>nn.GELU()</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GELUAttribute : LayerAttribute { }

/// <summary><c>nn.SiLU()</c> (swish).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SiLUAttribute : LayerAttribute { }

/// <summary><c>nn.Softmax(dim)</c>. Dim counts the batch dimension, as in PyTorch (default 1).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SoftmaxAttribute : LayerAttribute
{
    public int Dim { get; set; } = 1;
}

/// <summary><c>nn.LogSoftmax(dim)</c>. Dim counts the batch dimension, as in PyTorch (default 1).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LogSoftmaxAttribute : LayerAttribute
{
    public int Dim { get; set; } = 1;
}

/// <summary><c>nn.Identity()</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class IdentityAttribute : LayerAttribute { }
