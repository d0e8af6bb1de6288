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

    /// <summary>
    /// torchvision's base grid for its tensor geometry (<c>_gen_affine_grid</c>, <c>_perspective_grid</c>): the pixel centres
    /// as rows [x, y, 1], 1×(H·W)×3, x from <paramref name="x0"/> and y from <paramref name="y0"/> in steps of 1 (made with
    /// linspace in float32 as torchvision makes them, so the grids match to the last bit where the arithmetic does).
    /// </summary>
    public static Tensor PixelCentres(long h, long w, double x0, double y0, ScalarType dtype, Device device)
    {
        var xs = linspace(x0, x0 + w - 1, w, ScalarType.Float32, device).to_type(dtype);
        var ys = linspace(y0, y0 + h - 1, h, ScalarType.Float32, device).to_type(dtype);
        var grid = stack([xs.expand(h, w), ys.unsqueeze(1).expand(h, w), ones(h, w, dtype: dtype, device: device)], -1);
        return grid.view(1, h * w, 3);
    }
}
