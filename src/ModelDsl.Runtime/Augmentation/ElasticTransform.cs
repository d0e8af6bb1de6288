using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// torchvision's <c>ElasticTransform(alpha, sigma)</c>, per sample (with probability p, 1 by default as torchvision's has
/// none): a displacement field from uniform noise in [−1, 1] blurred by a Gaussian of σ = <see cref="Sigma"/> (kernel
/// ⌊8σ + 1⌋ made odd, reflect padding), scaled by alpha/H for x and alpha/W for y (torchvision's get_params, sizes in that
/// order), then the image resampled there: bilinear, zeros outside (<see cref="Displace"/>, torchvision's tensor
/// <c>F.elastic_transform(img, displacement)</c>).
/// </summary>
/// <remarks>
/// Every sample gets its own field (torchvision draws one per call). Outside the image the output is 0, as
/// <c>F.elastic_transform</c> with fill = None; torchvision's class passes fill = 0, which also scales the pixels that sample
/// across the border by the image's bilinear coverage there — not reproduced. The blur's reflect padding needs images
/// wider and taller than half the kernel (20 pixels at σ = 5), as torchvision's does.
/// </remarks>
public sealed class ElasticTransform : RandomAugmentation
{
    /// <summary>It moves pixels; masks and boxes cannot follow it (see <see cref="RandomAugmentation"/>'s remarks).</summary>
    public override bool MovesPixels => true;

    public ElasticTransform(double alpha = 50, double sigma = 5, double p = 1.0, long? seed = null) : base(p, seed)
    {
        if (!(alpha >= 0) || double.IsInfinity(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "ElasticTransform: alpha must be finite and ≥ 0.");
        if (!(sigma >= 0) || double.IsInfinity(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "ElasticTransform: sigma must be finite and ≥ 0.");
        Alpha = alpha;
        Sigma = sigma;
    }

    public double Alpha { get; }
    public double Sigma { get; }

    protected override Tensor ApplyCore(Tensor x, Generator g)
    {
        long n = x.shape[0], h = x.shape[2], w = x.shape[3];
        var dev = x.device;
        var mask = Mask(g, n, dev);
        int kernel = (int)(8 * Sigma + 1);
        if (kernel % 2 == 0) kernel++;
        if (Sigma > 0 && (kernel / 2 >= h || kernel / 2 >= w))
            throw new ArgumentException($"ElasticTransform(sigma {Sigma}): a {h}×{w} image is too small for the blur's reflect padding of {kernel / 2}.", nameof(x));
        Tensor Field(long size)
        {
            var noise = rand([n, 1, h, w], ScalarType.Float32, dev, generator: g).mul_(C(2)).add_(C(-1), One);
            if (Sigma > 0) noise = RandomGaussianBlur.Blur(noise, full([n], S(Sigma), ScalarType.Float32, dev), kernel);
            return noise.mul_(S(Alpha)).div_(S((double)size));
        }
        var dx = Field(h);                         // torchvision scales x by alpha / size[0], the height
        var dy = Field(w);
        var displacement = cat([dx, dy], 1).permute(0, 2, 3, 1);
        return where(View4(mask), Displace(x, displacement.to_type(x.dtype)), x);
    }

    /// <summary>
    /// torchvision's tensor <c>F.elastic_transform(img, displacement)</c> (bilinear, fill = None) for a batch: the identity
    /// grid of grid_sample's normalised pixel centres plus <paramref name="displacement"/> (N×H×W×2 or 1×H×W×2, (x, y) in
    /// normalised units).
    /// </summary>
    public static Tensor Displace(Tensor batch, Tensor displacement)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(displacement);
        if (batch.dim() != 4 || !batch.is_floating_point())
            throw new ArgumentException($"ElasticTransform.Displace expects a floating-point batch N×C×H×W; got {batch.dtype} [{string.Join(", ", batch.shape)}].", nameof(batch));
        long n = batch.shape[0], h = batch.shape[2], w = batch.shape[3];
        if (displacement.dim() != 4 || (displacement.shape[0] != 1 && displacement.shape[0] != n) || displacement.shape[1] != h
            || displacement.shape[2] != w || displacement.shape[3] != 2)
            throw new ArgumentException($"ElasticTransform.Displace: the displacement must be N×{h}×{w}×2 or 1×{h}×{w}×2; got [{string.Join(", ", displacement.shape)}].", nameof(displacement));
        using var scope = NewDisposeScope();
        // torchvision's _create_identity_grid: linspace((−s + 1)/s, (s − 1)/s, s) per axis.
        var xs = linspace((1.0 - w) / w, (w - 1.0) / w, w, ScalarType.Float32, batch.device);
        var ys = linspace((1.0 - h) / h, (h - 1.0) / h, h, ScalarType.Float32, batch.device);
        var identity = stack([xs.expand(h, w), ys.unsqueeze(1).expand(h, w)], -1).unsqueeze(0).to_type(batch.dtype);
        var grid = identity.add(displacement.to(batch.dtype, batch.device), One).expand(n, h, w, 2);
        return nn.functional.grid_sample(batch, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false)
            .MoveToOuterDisposeScope();
    }
}
