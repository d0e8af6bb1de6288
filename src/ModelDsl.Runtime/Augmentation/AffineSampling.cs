using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// Shared helper: builds N×2×3 affine matrices from per-sample coefficient tensors and resamples the
/// whole batch with one <c>affine_grid</c> + <c>grid_sample</c> (bilinear, align_corners = false).
/// </summary>
internal static class AffineSampling
{
    /// <summary>theta = [[a, b, tx], [c, d, ty]] per sample (all N-vectors), in normalised coordinates, output→input.</summary>
    public static Tensor Theta(Tensor a, Tensor b, Tensor tx, Tensor c, Tensor d, Tensor ty) =>
        stack([stack([a, b, tx], 1), stack([c, d, ty], 1)], 1);

    public static Tensor Sample(Tensor x, Tensor theta, long outH, long outW, GridSamplePaddingMode padding = GridSamplePaddingMode.Zeros)
    {
        theta = theta.to_type(x.dtype);
        var grid = nn.functional.affine_grid(theta, [x.shape[0], x.shape[1], outH, outW], align_corners: false);
        return nn.functional.grid_sample(x, grid, GridSampleMode.Bilinear, padding, align_corners: false);
    }
}
