using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// The precision a <see cref="Learner"/> trains in. TorchSharp 0.107 has no autocast and no GradScaler, so
/// ModelDsl does what autocast's "O2" level does by hand: the model's convolutions, linears and activations
/// run in the low-precision type, BatchNorm keeps float32 parameters and statistics (libtorch's batch norm
/// takes low-precision input with float32 weights), the loss and softmax see the output in float32, and the
/// fused optimizer steps float32 master weights from the low-precision gradients (see <see cref="FusedOptimizer"/>).
/// </summary>
public enum MixedPrecision
{
    /// <summary>float32 throughout.</summary>
    None,

    /// <summary>bfloat16 forward and backward: float32's range, so no loss scaling is needed.</summary>
    BFloat16,

    /// <summary>float16 forward and backward with a <see cref="DynamicLossScaler"/> (GradScaler's semantics).</summary>
    Float16,
}

/// <summary>Model conversion for <see cref="MixedPrecision"/>.</summary>
public static class MixedPrecisionExtensions
{
    /// <summary>The low-precision type, or null for <see cref="MixedPrecision.None"/>.</summary>
    public static ScalarType? LowPrecisionType(this MixedPrecision precision) => precision switch
    {
        MixedPrecision.None => null,
        MixedPrecision.BFloat16 => ScalarType.BFloat16,
        MixedPrecision.Float16 => ScalarType.Float16,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown precision."),
    };

    /// <summary>
    /// Casts <paramref name="model"/>'s parameters and buffers to <paramref name="dtype"/>, except those of its
    /// normalisation layers (BatchNorm, GroupNorm, LayerNorm, InstanceNorm), which stay float32 so that their
    /// running statistics and affine parameters keep full precision.
    /// </summary>
    public static void ToMixedPrecision(this nn.Module model, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.to(dtype);
        foreach (var (_, m) in model.named_modules())
            if (KeepsFloat32(m)) m.to(ScalarType.Float32);
    }

    /// <summary>Normalisation layers, whose statistics need float32.</summary>
    public static bool KeepsFloat32(nn.Module m) =>
        m is BatchNorm1d or BatchNorm2d or BatchNorm3d or GroupNorm or LayerNorm or InstanceNorm1d or InstanceNorm2d or InstanceNorm3d;
}
