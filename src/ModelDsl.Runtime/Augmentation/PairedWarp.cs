using ModelDsl.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>Applies per-sample forward pixel maps (N×3×3, input → output) to images, masks and boxes; see <see cref="PairedGeometricAugmentation"/>.</summary>
internal static class PairedWarp
{
    /// <summary>
    /// grid_sample's theta (N×2×3, output → input, normalised coordinates with align_corners = false):
    /// Norm_in · A⁻¹ · Norm_out⁻¹, where Norm maps pixel x ∈ [0, W] to u = 2x/W − 1 ∈ [−1, 1].
    /// </summary>
    private static Tensor Theta(Tensor forward, long inH, long inW, long outH, long outW)
    {
        var dev = forward.device;
        var normIn = tensor(new double[] { 2.0 / inW, 0, -1, 0, 2.0 / inH, -1, 0, 0, 1 }, [1, 3, 3], ScalarType.Float64).to(dev);
        var denormOut = tensor(new double[] { outW / 2.0, 0, outW / 2.0, 0, outH / 2.0, outH / 2.0, 0, 0, 1 }, [1, 3, 3], ScalarType.Float64).to(dev);
        var inverse = linalg.inv(forward);
        return normIn.matmul(inverse).matmul(denormOut).narrow(1, 0, 2);
    }

    private static Tensor Grid(Tensor forward, long n, long c, long inH, long inW, long outH, long outW, ScalarType dtype) =>
        nn.functional.affine_grid(Theta(forward, inH, inW, outH, outW).to_type(dtype), [n, c, outH, outW], align_corners: false);

    public static Tensor Images(Tensor x, Tensor forward, long outH, long outW)
    {
        var grid = Grid(forward, x.shape[0], x.shape[1], x.shape[2], x.shape[3], outH, outW, x.dtype);
        return nn.functional.grid_sample(x, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false);
    }

    /// <summary>
    /// Nearest resampling of integer masks. Sampled as (value + 1) in float32 (exact for all byte and
    /// small int values) with zero padding, so 0 marks "came from outside" and becomes <paramref name="fill"/>.
    /// </summary>
    public static Tensor Masks(Tensor masks, Tensor forward, long outH, long outW, int fill, KeptScalars kept)
    {
        long n = masks.shape[0], h = masks.shape[1], w = masks.shape[2];
        var grid = Grid(forward, n, 1, h, w, outH, outW, ScalarType.Float32);
        var shifted = masks.to_type(ScalarType.Float32).add_(KeptScalars.Constant(1), KeptScalars.One).unsqueeze(1);
        var sampled = nn.functional.grid_sample(shifted, grid, GridSampleMode.Nearest, GridSamplePaddingMode.Zeros, align_corners: false).squeeze(1);
        var values = sampled.round_().to_type(ScalarType.Int64);
        return where(values.eq(KeptScalars.Constant(0)), full_like(values, kept.Of((long)fill)), values.sub_(KeptScalars.Constant(1))).to_type(masks.dtype);
    }

    /// <summary>Maps every box's 4 corners, takes their bounding box, clips it to the output and drops what is too little inside.</summary>
    public static (Tensor Boxes, Tensor Classes) Boxes(Tensor boxes, Tensor classes, Tensor forward, long outH, long outW, double minVisible, KeptScalars kept)
    {
        long n = boxes.shape[0], m = boxes.shape[1];
        var b = boxes.to_type(ScalarType.Float64);
        var x1 = b.select(2, 0); var y1 = b.select(2, 1); var x2 = b.select(2, 2); var y2 = b.select(2, 3);
        var xs = stack([x1, x2, x1, x2], 2);                                     // N×M×4 corners
        var ys = stack([y1, y1, y2, y2], 2);
        var pts = stack([xs, ys, ones_like(xs)], 3);                              // N×M×4×3
        var mapped = pts.matmul(forward.transpose(1, 2).unsqueeze(1));            // N×M×4×3 (row vectors · Aᵀ)
        var mx = mapped.select(3, 0); var my = mapped.select(3, 1);
        var bx1 = mx.amin([2]); var bx2 = mx.amax([2]); var by1 = my.amin([2]); var by2 = my.amax([2]);
        var area = (bx2 - bx1) * (by2 - by1);
        Scalar zero = KeptScalars.Constant(0), right = kept.Of(outW), bottom = kept.Of(outH);
        var cx1 = bx1.clamp(zero, right); var cx2 = bx2.clamp(zero, right); var cy1 = by1.clamp(zero, bottom); var cy2 = by2.clamp(zero, bottom);
        var clipped = (cx2 - cx1).clamp_min(zero) * (cy2 - cy1).clamp_min(zero);
        var keep = classes.ge(zero) & clipped.gt(zero) & clipped.ge(area * kept.Of(minVisible));
        var result = stack([cx1, cy1, cx2, cy2], 2).mul_(keep.unsqueeze(2).to_type(ScalarType.Float64)).to_type(boxes.dtype);
        return (result, where(keep, classes, full_like(classes, KeptScalars.Constant(-1))));
    }
}
