using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// torchvision's <c>RandomPerspective(distortion_scale, p)</c>, per sample: each corner of a chosen sample moves inwards by
/// a uniform whole number of pixels, up to ⌊distortionScale·⌊W/2⌋⌋ horizontally and ⌊distortionScale·⌊H/2⌋⌋ vertically (as
/// torchvision's get_params), and the image is warped so the corners land there: bilinear, zeros outside. The warp itself
/// is <see cref="Warp"/>, torchvision's tensor <c>F.perspective(img, startpoints, endpoints)</c> for the whole batch.
/// </summary>
/// <remarks>
/// Outside the image the output is 0, as <c>F.perspective</c> with fill = None. torchvision's RandomPerspective class passes
/// fill = [0, …] instead, which also multiplies the few pixels next to the border by the bilinear coverage of the image there
/// (its mask channel); that quirk is not reproduced.
/// </remarks>
public sealed class RandomPerspective : RandomAugmentation
{
    /// <summary>It moves pixels; masks and boxes cannot follow it (see <see cref="RandomAugmentation"/>'s remarks).</summary>
    public override bool MovesPixels => true;

    public RandomPerspective(double distortionScale = 0.5, double p = 0.5, long? seed = null) : base(p, seed)
    {
        if (!(distortionScale >= 0 && distortionScale <= 1))
            throw new ArgumentOutOfRangeException(nameof(distortionScale), distortionScale, "RandomPerspective: distortionScale must be in [0, 1].");
        DistortionScale = distortionScale;
    }

    public double DistortionScale { get; }

    protected override Tensor ApplyCore(Tensor x, Generator g)
    {
        long n = x.shape[0], h = x.shape[2], w = x.shape[3];
        var dev = x.device;
        var mask = Mask(g, n, dev);
        long dw = (long)(DistortionScale * (w / 2)), dh = (long)(DistortionScale * (h / 2));     // int(d · (W // 2)) as torchvision
        var start = Corners(h, w, dev);                                                        // 1×4×2: tl, tr, br, bl
        var offsets = cat([Integers(g, [n, 4, 1], dev, dw + 1), Integers(g, [n, 4, 1], dev, dh + 1)], 2).to_type(ScalarType.Float32);
        var inwards = tensor(new float[] { 1, 1, -1, 1, -1, -1, 1, -1 }, [1, 4, 2]).to(dev);
        var end = start.add(offsets.mul(inwards), One);
        return where(View4(mask), Warp(x, start.expand(n, 4, 2), end), x);
    }

    /// <summary>The image's corners (top-left, top-right, bottom-right, bottom-left) as pixel coordinates (x, y), 1×4×2: torchvision's startpoints.</summary>
    private static Tensor Corners(long h, long w, Device device) =>
        tensor(new float[] { 0, 0, w - 1, 0, w - 1, h - 1, 0, h - 1 }, [1, 4, 2]).to(device);

    /// <summary>
    /// torchvision's tensor <c>F.perspective(img, startpoints, endpoints)</c> (bilinear, fill = None) for a batch: the points
    /// are pixel coordinates (x, y), N×4×2 (or 4×2 for all samples), the image content at <paramref name="startPoints"/>
    /// moving to <paramref name="endPoints"/>. The 8 coefficients per sample solve torchvision's 8×8 system (one batched
    /// <c>linalg.solve</c> in float64; torchvision uses a float32 least-squares solve of the same square system); the grid is
    /// its <c>_perspective_grid</c>.
    /// </summary>
    public static Tensor Warp(Tensor batch, Tensor startPoints, Tensor endPoints)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(startPoints);
        ArgumentNullException.ThrowIfNull(endPoints);
        if (batch.dim() != 4 || !batch.is_floating_point())
            throw new ArgumentException($"RandomPerspective.Warp expects a floating-point batch N×C×H×W; got {batch.dtype} [{string.Join(", ", batch.shape)}].", nameof(batch));
        using var scope = NewDisposeScope();
        long n = batch.shape[0], h = batch.shape[2], w = batch.shape[3];
        var s = Points(startPoints, n, batch.device, nameof(startPoints));
        var e = Points(endPoints, n, batch.device, nameof(endPoints));
        // torchvision's _get_perspective_coeffs: for each point pair, rows
        // [ex, ey, 1, 0, 0, 0, −sx·ex, −sx·ey] = sx and [0, 0, 0, ex, ey, 1, −sy·ex, −sy·ey] = sy.
        var (ex, ey) = (e.select(2, 0), e.select(2, 1));
        var (sx, sy) = (s.select(2, 0), s.select(2, 1));
        var one = ones_like(ex);
        var zero = zeros_like(ex);
        var rowX = stack([ex, ey, one, zero, zero, zero, sx.mul(ex).neg(), sx.mul(ey).neg()], 2);   // N×4×8
        var rowY = stack([zero, zero, zero, ex, ey, one, sy.mul(ex).neg(), sy.mul(ey).neg()], 2);
        var a = stack([rowX, rowY], 2).view(n, 8, 8);
        var coeffs = linalg.solve(a, s.reshape(n, 8, 1)).view(n, 8).to_type(batch.dtype);
        // _perspective_grid: x_in = (c0·x + c1·y + c2) / (c6·x + c7·y + 1), likewise y_in, at the pixel centres (0.5 …),
        // rescaled to grid_sample's [−1, 1].
        var theta1 = coeffs.narrow(1, 0, 6).view(n, 2, 3);
        var denominator = cat([coeffs.narrow(1, 6, 2), ones(n, 1, dtype: batch.dtype, device: batch.device)], 1);
        var theta2 = stack([denominator, denominator], 1);                                        // N×2×3
        var half = tensor(new[] { 0.5 * w, 0.5 * h }).to(batch.dtype, batch.device);
        var pixels = AffineSampling.PixelCentres(h, w, 0.5, 0.5, batch.dtype, batch.device);
        var grid = pixels.matmul(theta1.transpose(1, 2).div(half))
            .div_(pixels.matmul(theta2.transpose(1, 2)))
            .add_(C(-1), One)
            .view(n, h, w, 2);
        return nn.functional.grid_sample(batch, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false)
            .MoveToOuterDisposeScope();
    }

    private static Tensor Points(Tensor points, long n, Device device, string name)
    {
        var p = points.dim() == 2 ? points.unsqueeze(0) : points;
        if (p.dim() != 3 || p.shape[1] != 4 || p.shape[2] != 2 || (p.shape[0] != 1 && p.shape[0] != n))
            throw new ArgumentException($"RandomPerspective.Warp: {name} must be 4×2 or N×4×2 (x, y) for N = {n}; got [{string.Join(", ", points.shape)}].", name);
        return p.to(ScalarType.Float64, device).expand(n, 4, 2);
    }
}
