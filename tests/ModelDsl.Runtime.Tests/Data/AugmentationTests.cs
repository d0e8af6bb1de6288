using ModelDsl.Augmentation;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Data;

public class AugmentationTests
{
    private static Tensor Batch(long n = 16, long c = 3, long h = 12, long w = 10, ulong seed = 1) =>
        rand([n, c, h, w], generator: new Generator(seed));

    private static IAugmentation[] All(long? seed) =>
    [
        new RandomHorizontalFlip(seed: seed), new RandomVerticalFlip(seed: seed),
        new RandomCrop(12, 10, padding: 3, paddingMode: CropPadding.Reflect, seed: seed),
        new RandomResizedCrop(8, 8, seed: seed), new RandomAffine(30, (0.1, 0.1), (0.8, 1.2), 10, seed: seed),
        new RandomRotation(45, seed: seed), new ColorJitter(0.4, 0.4, 0.4, 0.1, seed: seed), new RandomGrayscale(0.5, seed: seed),
        new RandomErasing(seed: seed), new GaussianNoise(0.1, seed: seed), new Normalize([0.5, 0.4, 0.3], [0.2, 0.2, 0.2]),
    ];

    [Fact]
    public void Flip_twice_with_p1_is_identity()
    {
        using var x = Batch();
        var h = new RandomHorizontalFlip(p: 1, seed: 1);
        var v = new RandomVerticalFlip(p: 1, seed: 1);
        using var h1 = h.Apply(x);
        using var h2 = h.Apply(h1);
        using var v2 = v.Apply(v.Apply(x));
        Assert.True(h2.SameAs(x).item<bool>());
        Assert.True(v2.SameAs(x).item<bool>());
        Assert.True(h1.SameAs(x.flip(3)).item<bool>());
    }

    [Fact]
    public void P_half_flips_about_half_of_a_large_batch_per_sample()
    {
        using var x = rand([1000, 1, 2, 3], generator: new Generator(2));
        using var y = new RandomHorizontalFlip(p: 0.5, seed: 9).Apply(x);
        using var flipped = y.eq(x.flip(3)).flatten(1).all(1);
        using var same = y.eq(x).flatten(1).all(1);
        long nf = flipped.sum().item<long>();
        Assert.InRange(nf, 430, 570);
        Assert.True(flipped.logical_or(same).all().item<bool>());   // each sample is either flipped or untouched
    }

    [Fact]
    public void Random_crop_gives_different_windows_to_identical_samples()
    {
        using var one = arange(64, dtype: ScalarType.Float32).view(1, 1, 8, 8);
        using var x = one.expand(32, 3, 8, 8).contiguous();
        using var y = new RandomCrop(8, padding: 4, seed: 3).Apply(x);
        Assert.Equal(new long[] { 32, 3, 8, 8 }, y.shape);
        int distinct = Enumerable.Range(0, 32).Select(i => string.Join(",", y[i, 0].flatten().data<float>().ToArray())).Distinct().Count();
        Assert.True(distinct > 10, $"only {distinct} distinct crops");
        // Without padding, a same-size crop is the identity; each window is a shifted copy of the padded input.
        using var same = new RandomCrop(8, seed: 3).Apply(x);
        Assert.True(same.SameAs(x).item<bool>());
        using var p0 = new RandomCrop(8, padding: 4, p: 0, seed: 3).Apply(x);
        Assert.True(p0.SameAs(x).item<bool>());
    }

    [Fact]
    public void Crop_windows_match_slices_of_the_padded_image()
    {
        using var x = Batch(n: 6, h: 8, w: 8);
        using var y = new RandomCrop(6, padding: 2, paddingMode: CropPadding.Replicate, seed: 11).Apply(x);
        using var padded = nn.functional.pad(x, [2, 2, 2, 2], PaddingModes.Replicate);
        for (int i = 0; i < 6; i++)
        {
            bool found = false;
            for (int oy = 0; oy <= 6 && !found; oy++)
                for (int ox = 0; ox <= 6 && !found; ox++)
                    found = padded[i, .., TensorIndex.Slice(oy, oy + 6), TensorIndex.Slice(ox, ox + 6)].SameAs(y[i]).item<bool>();
            Assert.True(found, $"sample {i} is not a window of its padded image");
        }
    }

    [Fact]
    public void Same_seed_same_batch_and_output_keeps_device_dtype_and_shape()
    {
        using var x = Batch();
        var a = All(123);
        var b = All(123);
        for (int i = 0; i < a.Length; i++)
        {
            using var ya = a[i].Apply(x);
            using var yb = b[i].Apply(x);
            Assert.True(ya.SameAs(yb).item<bool>(), a[i].GetType().Name);
            Assert.Equal(x.device_type, ya.device_type);
            Assert.Equal(x.dtype, ya.dtype);
            if (a[i] is not RandomResizedCrop) Assert.Equal(x.shape, ya.shape);
        }
        using var xd = x.to_type(ScalarType.Float64);
        foreach (var aug in All(5))
            using (var y = aug.Apply(xd))
                Assert.Equal(ScalarType.Float64, y.dtype);
        // A fresh draw each call on the same instance.
        var flip = new RandomAffine(30, seed: 1);
        using var f1 = flip.Apply(x);
        using var f2 = flip.Apply(x);
        Assert.False(f1.SameAs(f2).item<bool>());
    }

    [Fact]
    public void Random_ops_are_per_sample()
    {
        using var one = rand([1, 3, 12, 12], generator: new Generator(4));
        using var x = one.expand(8, 3, 12, 12).contiguous();
        foreach (var aug in new IAugmentation[] { new RandomAffine(30, seed: 1), new ColorJitter(0.5, 0.5, 0.5, 0.2, seed: 1), new RandomResizedCrop(12, 12, seed: 1), new RandomErasing(p: 1, seed: 1) })
            using (var y = aug.Apply(x))
                Assert.False(y[0].allclose(y[1]), aug.GetType().Name);
    }

    [Fact]
    public void Normalize_is_exact_and_checks_channels()
    {
        using var x = Batch(n: 4);
        using var y = new Normalize([0.5, 0.4, 0.3], [0.2, 0.25, 0.5]).Apply(x);
        using var expected = (x - tensor(new float[] { 0.5f, 0.4f, 0.3f }).view(1, 3, 1, 1)) / tensor(new float[] { 0.2f, 0.25f, 0.5f }).view(1, 3, 1, 1);
        Assert.True(y.allclose(expected, atol: 1e-6));
        var e = Assert.Throws<ArgumentException>(() => new Normalize([0.5], [0.2]).Apply(x));
        Assert.Contains("[4, 3, 12, 10]", e.Message);
    }

    [Fact]
    public void Zero_rotation_affine_and_full_resized_crop_are_identity()
    {
        using var x = Batch(n: 4);
        using var a = new RandomAffine(0, seed: 1).Apply(x);
        Assert.True(a.allclose(x, atol: 1e-5));
        using var r = new RandomResizedCrop(12, 10, p: 0, seed: 1).Apply(x);
        Assert.True(r.allclose(x, atol: 1e-5));
    }

    // Two Gaussian blobs (σ = 1.5 px), one per channel, on a non-square image: after an affine map
    // p' = s·R(θ)·p + t (pixel coordinates about the centre) the vector between their centroids is s·R(θ)
    // times the original one and their midpoint moves by t. Reading s, θ and t back from RandomAffine's own
    // output checks its maths, its per-sample ranges and that it does not distort non-square images.
    private const int BlobH = 40, BlobW = 56;
    private static readonly (double X, double Y) BlobA = (-5, -4), BlobB = (5, 4);

    private static Tensor Blobs(long n)
    {
        var ys = arange(BlobH, dtype: ScalarType.Float64).add(0.5 - BlobH / 2.0).view(BlobH, 1);
        var xs = arange(BlobW, dtype: ScalarType.Float64).add(0.5 - BlobW / 2.0).view(1, BlobW);
        Tensor Blob((double X, double Y) c) => (-((xs - c.X).square() + (ys - c.Y).square()) / (2 * 1.5 * 1.5)).exp();
        return stack([Blob(BlobA), Blob(BlobB)]).to(ScalarType.Float32).unsqueeze(0).expand(n, 2, BlobH, BlobW).contiguous();
    }

    /// <summary>Per sample and channel, the intensity centroid (x, y) in pixels about the image centre.</summary>
    private static double[,,] Centroids(Tensor images)
    {
        var x = images.to(ScalarType.Float64);
        var ys = arange(BlobH, dtype: ScalarType.Float64).add(0.5 - BlobH / 2.0).view(1, 1, BlobH, 1);
        var xs = arange(BlobW, dtype: ScalarType.Float64).add(0.5 - BlobW / 2.0).view(1, 1, 1, BlobW);
        var mass = x.sum([2, 3]);
        var cx = (x * xs).sum([2, 3]) / mass;
        var cy = (x * ys).sum([2, 3]) / mass;
        long n = images.shape[0];
        var result = new double[n, 2, 2];
        var cxs = cx.data<double>().ToArray();
        var cys = cy.data<double>().ToArray();
        for (var i = 0; i < n; i++)
            for (var c = 0; c < 2; c++) { result[i, c, 0] = cxs[i * 2 + c]; result[i, c, 1] = cys[i * 2 + c]; }
        return result;
    }

    /// <summary>Scale, rotation (degrees) and translation recovered from the two centroids of each sample.</summary>
    private static List<(double Scale, double Degrees, double Tx, double Ty)> RecoverAffine(Tensor input, Tensor output)
    {
        var before = Centroids(input);
        var after = Centroids(output);
        var result = new List<(double, double, double, double)>();
        for (var i = 0; i < after.GetLength(0); i++)
        {
            double dx = before[i, 1, 0] - before[i, 0, 0], dy = before[i, 1, 1] - before[i, 0, 1];
            double ex = after[i, 1, 0] - after[i, 0, 0], ey = after[i, 1, 1] - after[i, 0, 1];
            var scale = Math.Sqrt(ex * ex + ey * ey) / Math.Sqrt(dx * dx + dy * dy);
            var angle = Math.Atan2(dx * ey - dy * ex, dx * ex + dy * ey);
            // t = m' − s·R(θ)·m for the midpoints m, m'.
            double mx = (before[i, 0, 0] + before[i, 1, 0]) / 2, my = (before[i, 0, 1] + before[i, 1, 1]) / 2;
            double mx2 = (after[i, 0, 0] + after[i, 1, 0]) / 2, my2 = (after[i, 0, 1] + after[i, 1, 1]) / 2;
            double c = Math.Cos(angle) * scale, sn = Math.Sin(angle) * scale;
            result.Add((scale, angle * 180 / Math.PI, mx2 - (c * mx - sn * my), my2 - (sn * mx + c * my)));
        }
        return result;
    }

    [Fact]
    public void RandomAffine_rotates_scales_and_translates_each_sample_within_its_ranges_without_distortion()
    {
        using var scope = NewDisposeScope();
        var x = Blobs(200);
        var y = new RandomAffine(60, translate: (0.1, 0.1), scale: (0.8, 1.2), seed: 5).Apply(x);

        var drawn = RecoverAffine(x, y);

        foreach (var (scale, degrees, tx, ty) in drawn)
        {
            Assert.InRange(scale, 0.8 - 0.01, 1.2 + 0.01);
            Assert.InRange(degrees, -60 - 0.5, 60 + 0.5);
            Assert.InRange(tx, -0.1 * BlobW - 0.1, 0.1 * BlobW + 0.1);
            Assert.InRange(ty, -0.1 * BlobH - 0.1, 0.1 * BlobH + 0.1);
        }
        // Drawn per sample over the whole range, not one draw for the batch.
        Assert.True(drawn.Min(d => d.Degrees) < -50 && drawn.Max(d => d.Degrees) > 50, "rotations do not span ±60°");
        Assert.True(drawn.Min(d => d.Scale) < 0.85 && drawn.Max(d => d.Scale) > 1.15, "scales do not span 0.8–1.2");
        Assert.True(drawn.Min(d => d.Tx) < -0.07 * BlobW && drawn.Max(d => d.Tx) > 0.07 * BlobW, "x shifts do not span ±10 %");
        Assert.True(drawn.Min(d => d.Ty) < -0.07 * BlobH && drawn.Max(d => d.Ty) > 0.07 * BlobH, "y shifts do not span ±10 %");
    }

    [Fact]
    public void RandomRotation_only_rotates_about_the_centre()
    {
        using var scope = NewDisposeScope();
        var x = Blobs(100);
        var y = new RandomRotation(45, seed: 6).Apply(x);

        var drawn = RecoverAffine(x, y);

        foreach (var (scale, degrees, tx, ty) in drawn)
        {
            Assert.InRange(scale, 0.99, 1.01);
            Assert.InRange(degrees, -45.5, 45.5);
            Assert.InRange(tx, -0.1, 0.1);
            Assert.InRange(ty, -0.1, 0.1);
        }
        Assert.True(drawn.Min(d => d.Degrees) < -35 && drawn.Max(d => d.Degrees) > 35, "rotations do not span ±45°");
    }

    [Fact]
    public void Color_ops_keep_range_grayscale_is_gray_and_hue_shift_roundtrips()
    {
        using var x = Batch(n: 32);
        using var j = new ColorJitter(0.8, 0.8, 0.8, 0.5, seed: 2).Apply(x);
        Assert.True(j.min().item<float>() >= 0 && j.max().item<float>() <= 1);
        using var g = new RandomGrayscale(p: 1, seed: 1).Apply(x);
        Assert.True(g[.., 0].SameAs(g[.., 1]).item<bool>() && g[.., 1].SameAs(g[.., 2]).item<bool>());
        using var zero = zeros(32, 1, 1, 1);
        using var same = ColorJitter.ShiftHue(x, zero);
        Assert.True(same.allclose(x, atol: 1e-5));
        using var quarter = full([32, 1, 1, 1], 0.25f);
        using var back = ColorJitter.ShiftHue(ColorJitter.ShiftHue(x, quarter), -quarter);
        Assert.True(back.allclose(x, atol: 1e-4));
    }

    [Fact]
    public void Erasing_and_noise_and_compose()
    {
        using var x = ones(64, 3, 16, 16);
        using var e = new RandomErasing(p: 1, value: 0, seed: 3).Apply(x);
        using var erasedFraction = e.eq(0).to_type(ScalarType.Float32).mean([1, 2, 3]);
        Assert.True(erasedFraction.min().item<float>() > 0.005 && erasedFraction.max().item<float>() < 0.5);
        using var n = new GaussianNoise(0.1, seed: 3).Apply(x);
        Assert.Equal(0.1, (n - x).std().item<float>(), 2);
        var pipeline = new Compose(new RandomCrop(16, padding: 4, seed: 1), new RandomHorizontalFlip(seed: 2), new Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]));
        using var y = pipeline.Apply(x);
        Assert.Equal(x.shape, y.shape);
        Assert.True(x.SameAs(ones(64, 3, 16, 16)).item<bool>());   // input untouched
    }

    [Fact]
    public void Bad_inputs_name_the_shape()
    {
        using var x = rand(3, 8, 8);
        var e = Assert.Throws<ArgumentException>(() => new RandomHorizontalFlip().Apply(x));
        Assert.Contains("[3, 8, 8]", e.Message);
        using var small = rand(2, 3, 4, 4);
        var c = Assert.Throws<ArgumentException>(() => new RandomCrop(8).Apply(small));
        Assert.Contains("8×8", c.Message);
    }

    [Fact]
    public void Test_time_augmentation_averages_views()
    {
        using var x = Batch(n: 4);
        // A model that is invariant to flips and shifts returns the same output: TTA changes nothing.
        Func<Tensor, Tensor> meanModel = t => t.mean([2, 3]);
        using var plain = meanModel(x).softmax(-1);
        using var tta = TestTimeAugmentation.Predict(meanModel, x, flip: true);
        Assert.True(tta.allclose(plain, atol: 1e-6));
        using var crops = TestTimeAugmentation.Predict(t => t[.., .., 0, 0], x, flip: true, cropPadding: 2, softmax: false);
        Assert.Equal(new long[] { 4, 3 }, crops.shape);
    }

    [Fact]
    public void Runs_on_cuda_when_available()
    {
        if (!cuda.is_available()) Assert.Skip("No CUDA device on this machine: the augmentations' CUDA path is not exercised here.");
        using var x = Batch().cuda();
        foreach (var aug in All(1))
            using (var y = aug.Apply(x))
                Assert.Equal(DeviceType.CUDA, y.device_type);
    }
}
