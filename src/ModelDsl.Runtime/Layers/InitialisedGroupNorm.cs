using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// <c>nn.GroupNorm</c> as PyTorch creates it. TorchSharp 0.107's leaves its affine weight and bias uninitialised — whatever
/// the allocator held (values of 1e27, or NaN) — where PyTorch starts them at 1 and 0; a fresh model then computes garbage
/// until trained or loaded. The generator emits this for every <c>[GroupNorm]</c>; the module stays TorchSharp's.
/// </summary>
public static class InitialisedGroupNorm
{
    public static TorchSharp.Modules.GroupNorm Create(long groups, long channels, double eps = 1e-5, bool affine = true)
    {
        var norm = nn.GroupNorm(groups, channels, eps, affine);
        if (affine)
        {
            using var noGrad = no_grad();
            norm.weight!.fill_(1.0);
            norm.bias!.zero_();
        }
        return norm;
    }
}
