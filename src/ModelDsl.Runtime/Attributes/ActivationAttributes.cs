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

/// <summary><c>nn.ReLU6()</c>: min(max(x, 0), 6) (MobileNetV2).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ReLU6Attribute : LayerAttribute { }

/// <summary><c>nn.Hardswish()</c>: x · ReLU6(x + 3) / 6 (MobileNetV3).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class HardswishAttribute : LayerAttribute { }

/// <summary><c>nn.Hardsigmoid()</c>: ReLU6(x + 3) / 6 (MobileNetV3's squeeze-and-excitation gate).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class HardsigmoidAttribute : LayerAttribute { }

/// <summary><c>nn.Mish()</c>: x · tanh(softplus(x)).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MishAttribute : LayerAttribute { }

/// <summary><c>nn.Hardtanh(min_val, max_val)</c>: x clamped to [MinVal, MaxVal].</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class HardtanhAttribute : LayerAttribute
{
    public HardtanhAttribute() { }
    public HardtanhAttribute(double minVal, double maxVal)
    {
        MinVal = minVal;
        MaxVal = maxVal;
    }

    public double MinVal { get; set; } = -1.0;
    public double MaxVal { get; set; } = 1.0;
}

/// <summary><c>nn.Softplus(beta, threshold)</c>: log(1 + exp(β·x)) / β, and x itself where β·x &gt; Threshold.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SoftplusAttribute : LayerAttribute
{
    public double Beta { get; set; } = 1.0;
    public double Threshold { get; set; } = 20.0;
}

/// <summary>
/// <c>nn.PReLU(num_parameters, init)</c>: max(0, x) + a·min(0, x) with a learnt slope a — one for all channels
/// (<see cref="NumParameters"/> = 1) or one per channel (= the input's channels, checked).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class PReLUAttribute : LayerAttribute
{
    public PReLUAttribute() { }
    public PReLUAttribute(int numParameters) => NumParameters = numParameters;

    public int NumParameters { get; set; } = 1;
    public double Init { get; set; } = 0.25;
}
