using ModelDsl.Augmentation;
using ModelDsl.Data;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Data;

public class PairedAugmentationTests
{
    private const int H = 40, W = 48, N = 12;

    /// <summary>
    /// N images with one channel per box: channel j is 1 inside box j, else 0 (boxes differ per sample), so the
    /// painted pixels of a channel after a transform tell where that box went. Mask: class j+1 inside box j
    /// (boxes do not overlap), a 255 patch, background 0.
    /// </summary>
    private static DenseBatch Painted(Device? device = null)
    {
        var r = new Random(5);
        var img = new float[N * 2 * H * W];
        var mask = new long[N * H * W];
        var boxes = new float[N * 2 * 4];
        var classes = new long[N * 2];
        for (int i = 0; i < N; i++)
        {
            // Box 0 in the left half, box 1 in the right half, integer corners.
            for (int j = 0; j < 2; j++)
            {
                int x1 = r.Next(4, 14) + j * 24, y1 = r.Next(4, 20), x2 = x1 + r.Next(5, 10), y2 = y1 + r.Next(5, 16);
                for (int y = y1; y < y2; y++)
                    for (int x = x1; x < x2; x++)
                    {
                        img[((i * 2 + j) * H + y) * W + x] = 1;
                        mask[(i * H + y) * W + x] = j + 1;
                    }
                (boxes[(i * 2 + j) * 4], boxes[(i * 2 + j) * 4 + 1], boxes[(i * 2 + j) * 4 + 2], boxes[(i * 2 + j) * 4 + 3]) = (x1, y1, x2, y2);
                classes[i * 2 + j] = j + 1;
            }
            for (int y = 0; y < 3; y++) for (int x = 20; x < 24; x++) mask[(i * H + y) * W + x] = 255;
        }
        var dev = device ?? CPU;
        return new DenseBatch(tensor(img, [N, 2, H, W]).to(dev), tensor(mask, [N, H, W]).to(dev),
                              tensor(boxes, [N, 2, 4]).to(dev), tensor(classes, [N, 2]).to(dev));
    }

    /// <summary>Bounding box [x1, y1, x2, y2) of pixels above ½ in a H×W plane, or null when none.</summary>
    private static (int, int, int, int)? PaintedBox(float[] plane, int h, int w)
    {
        int x1 = w, y1 = h, x2 = -1, y2 = -1;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if (plane[y * w + x] > 0.5f) { x1 = Math.Min(x1, x); x2 = Math.Max(x2, x); y1 = Math.Min(y1, y); y2 = Math.Max(y2, y); }
        return x2 < 0 ? null : (x1, y1, x2 + 1, y2 + 1);
    }

    /// <summary>
    /// Every kept box equals the bounding box of its channel's painted pixels within <paramref name="tolerance"/> px;
    /// returns how many boxes were compared so. With <paramref name="rotated"/>, a box cut by the output border is
    /// only required to contain its painted pixels: an axis-aligned box of a rotated rectangle is looser than the
    /// rectangle, and once a corner is cut off the visible pixels no longer reach the box's sides (as in Kornia and
    /// albumentations; a box cannot carry the rotation).
    /// </summary>
    private static int AssertBoxesFollowPaint(DenseBatch output, double tolerance, bool rotated = false)
    {
        long h = output.Images.shape[2], w = output.Images.shape[3];
        var img = output.Images.cpu().contiguous().data<float>().ToArray();
        var boxes = output.Boxes!.cpu().contiguous().data<float>().ToArray();
        var classes = output.Classes!.cpu().contiguous().data<long>().ToArray();
        int kept = 0;
        for (int i = 0; i < N; i++)
            for (int j = 0; j < 2; j++)
            {
                int k = i * 2 + j;
                var painted = PaintedBox(img.AsSpan((int)(k * h * w), (int)(h * w)).ToArray(), (int)h, (int)w);
                if (classes[k] < 0) continue;
                kept++;
                Assert.Equal(j + 1, classes[k]);
                Assert.True(painted is not null, $"sample {i} box {j}: kept, but none of its pixels is in the output");
                var (px1, py1, px2, py2) = painted!.Value;
                var got = new[] { boxes[4 * k], boxes[4 * k + 1], boxes[4 * k + 2], boxes[4 * k + 3] };
                var want = new double[] { px1, py1, px2, py2 };
                bool cut = got[0] <= 1e-3 || got[1] <= 1e-3 || got[2] >= w - 1e-3 || got[3] >= h - 1e-3;
                string what = $"sample {i} box {j}: transformed box [{string.Join(", ", got)}] vs painted pixels [{string.Join(", ", want)}]";
                if (rotated && cut)
                {
                    kept--;
                    Assert.True(want[0] >= got[0] - tolerance && want[1] >= got[1] - tolerance && want[2] <= got[2] + tolerance && want[3] <= got[3] + tolerance, what);
                    continue;
                }
                for (int c = 0; c < 4; c++)
                    Assert.True(Math.Abs(got[c] - want[c]) <= tolerance, what);
            }
        return kept;
    }

    /// <summary>
    /// Masks stay aligned with images: where the (bilinear) image of box j is ≥ 0.99 the (nearest) mask is j + 1,
    /// where it is ≤ 0.01 the mask is not (nearest takes the pixel of largest bilinear weight, ≥ ¼, so this is
    /// exact, not statistical); only values that can occur come out.
    /// </summary>
    private static void AssertMaskAligned(DenseBatch output)
    {
        long h = output.Images.shape[2], w = output.Images.shape[3];
        var img = output.Images.cpu().contiguous().data<float>().ToArray();
        var mask = output.Masks!.cpu().contiguous().data<long>().ToArray();
        Assert.Subset(new HashSet<long> { 0, 1, 2, 255 }, mask.ToHashSet());
        int crisp = 0, edge = 0;
        for (int i = 0; i < N; i++)
            for (int j = 0; j < 2; j++)
                for (int p = 0; p < h * w; p++)
                {
                    float v = img[(i * 2 + j) * h * w + p];
                    long m = mask[i * h * w + p];
                    if (v >= 0.99f) { Assert.Equal(j + 1, m); crisp++; }
                    else if (v <= 0.01f) Assert.NotEqual(j + 1, m);
                    else edge++;
                }
        Assert.True(crisp > 4 * edge / 10, $"{crisp} crisp box pixels, {edge} edge pixels: the check must be about more than edges");
    }

    [Fact]
    public void Flips_move_boxes_and_masks_exactly_with_the_image()
    {
        using var input = Painted();
        foreach (IPairedAugmentation aug in new IPairedAugmentation[] { new PairedHorizontalFlip(p: 1, seed: 1), new PairedVerticalFlip(p: 1, seed: 1) })
        {
            using var output = aug.Apply(input);
            Assert.Equal(2 * N, AssertBoxesFollowPaint(output, tolerance: 1e-4));
            AssertMaskAligned(output);
            var dim = aug is PairedHorizontalFlip ? 2L : 1L;
            Assert.True(output.Masks!.SameAs(input.Masks!.flip(dim)).item<bool>());
        }
    }

    [Fact]
    public void Random_crop_with_padding_moves_boxes_to_the_pixel_and_pads_masks_with_ignore()
    {
        using var input = Painted();
        using var aug = new PairedRandomCrop(30, 36, padding: 6, seed: 3, minVisible: 0.25);
        using var output = aug.Apply(input);
        Assert.Equal(new long[] { N, 2, 30, 36 }, output.Images.shape);
        Assert.Equal(new long[] { N, 30, 36 }, output.Masks!.shape);
        int kept = AssertBoxesFollowPaint(output, tolerance: 1e-4);
        Assert.InRange(kept, N, 2 * N);
        AssertMaskAligned(output);
        Assert.True(output.Masks!.eq(255).sum().item<long>() > N * 12);   // more 255 than the 12-pixel patches: padding came in
    }

    [Fact]
    public void Affine_and_resized_crop_move_boxes_within_a_pixel()
    {
        using var input = Painted();
        foreach (var aug in new PairedGeometricAugmentation[]
                 {
                     new PairedRandomAffine(30, (0.1, 0.1), (0.8, 1.2), seed: 4),
                     new PairedRandomResizedCrop(32, 32, scale: (0.5, 1.0), seed: 5),
                 })
        {
            using var output = aug.Apply(input);
            Assert.True(AssertBoxesFollowPaint(output, tolerance: 1.0, rotated: aug is PairedRandomAffine) >= N, aug.GetType().Name);
            AssertMaskAligned(output);
            aug.Dispose();
        }
    }

    [Fact]
    public void Affine_is_rigid_at_scale_one_and_scales_area_by_s_squared()
    {
        // The painted mass of a box is its area times the map's determinant: 1 for a pure rotation (a wrong
        // rotation matrix would stretch or shear), s² at scale s. A 12×8 box at the centre stays inside at any
        // angle; bilinear sampling of a sharp rectangle keeps the mass to within a few per cent.
        var img = zeros(N, 1, H, W);
        img[.., .., TensorIndex.Slice(16, 24), TensorIndex.Slice(18, 30)] = 1;
        using var boxes = tensor(Enumerable.Repeat(new float[] { 18, 16, 30, 24 }, N).SelectMany(b => b).ToArray(), [N, 1, 4]);
        using var classes = zeros([N, 1], ScalarType.Int64);
        using var input = new DenseBatch(img, Boxes: boxes.alias(), Classes: classes.alias());
        foreach (var (aug, det) in new[] { (new PairedRandomAffine(45, seed: 6), 1.0), (new PairedRandomAffine(45, scale: (1.6, 1.6), seed: 7), 2.56) })
        {
            using var output = aug.Apply(input);
            var mass = output.Images.sum([1, 2, 3]).data<float>().ToArray();
            var widths = (output.Boxes!.select(2, 2) - output.Boxes!.select(2, 0)).flatten().data<float>().ToArray();
            for (int i = 0; i < N; i++) Assert.InRange(mass[i] / 96.0, det * 0.97, det * 1.03);
            Assert.True(output.Classes!.ge(0).all().item<bool>());
            Assert.True(widths.Count(v => Math.Abs(v - 12 * Math.Sqrt(det)) > 1) >= N / 2, "most boxes should be turned by a visible angle");
            Assert.True(AssertBoxesFollowPaint1(output) == N);
            aug.Dispose();
        }
    }

    /// <summary>One box per sample in channel 0: the box equals the bounding box of the painted pixels within 1 px.</summary>
    private static int AssertBoxesFollowPaint1(DenseBatch output)
    {
        long h = output.Images.shape[2], w = output.Images.shape[3];
        var img = output.Images.contiguous().data<float>().ToArray();
        var boxes = output.Boxes!.contiguous().data<float>().ToArray();
        for (int i = 0; i < N; i++)
        {
            var (x1, y1, x2, y2) = PaintedBox(img.AsSpan((int)(i * h * w), (int)(h * w)).ToArray(), (int)h, (int)w)!.Value;
            Assert.InRange(boxes[4 * i] - x1, -1.0, 1.0);
            Assert.InRange(boxes[4 * i + 1] - y1, -1.0, 1.0);
            Assert.InRange(boxes[4 * i + 2] - x2, -1.0, 1.0);
            Assert.InRange(boxes[4 * i + 3] - y2, -1.0, 1.0);
        }
        return N;
    }

    [Fact]
    public void Sequential_composes_and_every_sample_gets_its_own_draw_repeatably()
    {
        using var input = Painted();
        IPairedAugmentation Make() => new PairedSequential(new PairedHorizontalFlip(seed: 7), new PairedRandomAffine(20, (0.05, 0.05), seed: 8), new PairedRandomCrop(32, 40, seed: 9));
        using var a = Make().Apply(input);
        using var b = Make().Apply(input);
        Assert.True(a.Images.SameAs(b.Images).item<bool>() && a.Masks!.SameAs(b.Masks!).item<bool>() && a.Boxes!.SameAs(b.Boxes!).item<bool>());
        Assert.True(AssertBoxesFollowPaint(a, tolerance: 1.0, rotated: true) >= N);
        AssertMaskAligned(a);
        // Per-sample draws: the box offsets (output − input) differ between samples.
        var shift = (a.Boxes!.select(2, 0) - input.Boxes!.select(2, 0)).select(1, 0);
        Assert.True(shift.unique().Item1.shape[0] > N / 2);
    }

    [Fact]
    public void Boxes_are_clipped_and_dropped_below_the_visible_fraction()
    {
        using var images = zeros(1, 1, 20, 20);
        using var boxes = tensor(new float[] { 0, 0, 6, 6, 4, 4, 9, 9, 7, 7, 12, 12 }, [1, 3, 4]);
        using var classes = tensor(new long[] { 0, 1, 2 }, [1, 3]);
        using var crop = new PairedRandomCrop(10, 10, p: 0, seed: 1, minVisible: 0.25);   // p = 0: the centre window, offset 5
        using var output = crop.Apply(new DenseBatch(images, Boxes: boxes, Classes: classes));
        Assert.Equal(new long[] { -1, 1, 2 }, output.Classes!.flatten().data<long>().ToArray());   // 1/36 visible: dropped
        Assert.Equal(new float[] { 0, 0, 0, 0, 0, 0, 4, 4, 2, 2, 7, 7 }, output.Boxes!.flatten().data<float>().ToArray());
        using var strict = new PairedRandomCrop(10, 10, p: 0, seed: 1, minVisible: 0.7);
        using var output2 = strict.Apply(new DenseBatch(images, Boxes: boxes, Classes: classes));
        Assert.Equal(new long[] { -1, -1, 2 }, output2.Classes!.flatten().data<long>().ToArray());   // 16/25 < 0.7
    }

    [Fact]
    public void Loader_applies_the_paired_augmentation_to_masks()
    {
        using var dir = new TempDir();
        var root = dir.Sub("seg");
        var mask = new byte[16 * 12];
        for (int y = 2; y < 6; y++) for (int x = 1; x < 5; x++) mask[y * 16 + x] = 1;
        DenseTestFiles.WriteGrayPngWithSkia(Path.Combine(root, "images", "a.png"), mask.Select(v => (byte)(v * 255)).ToArray(), 16, 12);
        MaskPng.Write(Path.Combine(root, "masks", "a.png"), mask, 16, 12);
        var ds = new SegmentationFolderDataset(root, ["bg", "fg"], new DenseDatasetOptions { Channels = 1 });
        var loader = new SegmentationDataLoader(ds, 1, augmentation: new PairedHorizontalFlip(p: 1, seed: 1));
        using var batch = loader.Single();
        Assert.Equal(1L, batch.Targets[0, 2, 14].item<long>());           // column 1 → 16 − 1 − 1
        Assert.True(batch.Targets.eq(1).SameAs(batch.Inputs.squeeze(1).gt(0.5f)).item<bool>());
    }

    [Fact]
    public void Runs_on_cuda_with_boxes_following_the_image()
    {
        if (!cuda.is_available()) Assert.Skip("No CUDA device: the paired augmentations ran on the CPU only.");
        using var input = Painted(CUDA);
        var aug = new PairedSequential(new PairedHorizontalFlip(seed: 1), new PairedRandomAffine(25, (0.1, 0.1), (0.9, 1.1), seed: 2));
        using var output = aug.Apply(input);
        Assert.Equal(DeviceType.CUDA, output.Images.device_type);
        Assert.Equal(DeviceType.CUDA, output.Boxes!.device_type);
        Assert.True(AssertBoxesFollowPaint(output, tolerance: 1.0, rotated: true) >= N);
        AssertMaskAligned(output);
    }
}
