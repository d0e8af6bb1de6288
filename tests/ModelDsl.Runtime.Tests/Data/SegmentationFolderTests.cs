using ModelDsl.Data;
using SkiaSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Data;

public class SegmentationFolderTests
{
    private static readonly string[] Classes = ["background", "square", "bar"];

    /// <summary>An image whose red channel encodes the class (0, 100, 200) and a VOC-style mask with a 255 border.</summary>
    private static byte[] WriteSample(string root, string stem, int w, int h, int seed, bool palette = true)
    {
        var r = new Random(seed);
        var mask = new byte[w * h];
        for (int i = 0; i < mask.Length; i++) mask[i] = (byte)r.Next(3);
        mask[0] = 255;
        DenseTestFiles.WriteRgbPng(Path.Combine(root, "images", stem + ".png"), w, h, (x, y) => new SKColor((byte)(mask[y * w + x] == 255 ? 250 : mask[y * w + x] * 100), 10, 20));
        MaskPng.Write(Path.Combine(root, "masks", stem + ".png"), mask, w, h, palette ? MaskPng.VocPalette() : null);
        return mask;
    }

    [Fact]
    public void Images_and_masks_pair_by_stem_and_masks_stay_class_indices()
    {
        using var dir = new TempDir();
        string root = dir.Sub("voc");
        var m0 = WriteSample(root, "a", 12, 9, 1);
        var m1 = WriteSample(root, "b", 12, 9, 2, palette: false);
        MaskPng.Write(Path.Combine(root, "masks", "orphan.png"), new byte[4], 2, 2);
        var ds = new SegmentationFolderDataset(root, Classes);
        Assert.Equal((2, 3, 9, 12, 255, 1), (ds.Count, ds.Channels, ds.Height, ds.Width, ds.IgnoreIndex, ds.UnusedMasks));
        foreach (var (i, want) in new[] { (0, m0), (1, m1) })
        {
            var (img, mask) = ds.Get(i);
            using (img) using (mask)
            {
                Assert.Equal(ScalarType.Int64, mask.dtype);
                Assert.Equal(want.Select(v => (long)v).ToArray(), mask.flatten().data<long>().ToArray());
                var red = (img[0] * 255).round().to_type(ScalarType.Int64).flatten().data<long>().ToArray();
                Assert.Equal(want.Select(v => v == 255 ? 250L : v * 100L).ToArray(), red);
            }
        }
        var loader = new SegmentationDataLoader(ds, batchSize: 2, shuffle: true, seed: 3, workers: 2);
        using var batch = loader.Single();
        Assert.Equal(new long[] { 2, 3, 9, 12 }, batch.Inputs.shape);
        Assert.Equal(new long[] { 2, 9, 12 }, batch.Targets.shape);
        Assert.Equal(ScalarType.Int64, batch.Targets.dtype);
    }

    [Fact]
    public void Resized_masks_use_nearest_and_keep_only_their_values()
    {
        using var dir = new TempDir();
        string root = dir.Sub("voc");
        WriteSample(root, "a", 12, 9, 1);
        var ds = new SegmentationFolderDataset(root, Classes, new DenseDatasetOptions { Height = 20, Width = 30 });
        var (img, mask) = ds.Get(0);
        using (img) using (mask)
        {
            Assert.Equal(new long[] { 20, 30 }, mask.shape);
            Assert.Subset(new HashSet<long> { 0, 1, 2, 255 }, mask.flatten().data<long>().ToArray().ToHashSet());
            Assert.Equal(255, mask[0, 0].item<long>());
        }
    }

    [Fact]
    public void Bad_folders_are_refused_naming_the_file()
    {
        using var dir = new TempDir();
        string root = dir.Sub("voc");
        WriteSample(root, "a", 12, 9, 1);
        // Mask of another size than its image.
        MaskPng.Write(Path.Combine(root, "masks", "a.png"), new byte[12 * 8], 12, 8);
        var e = Assert.Throws<InvalidDataException>(() => new SegmentationFolderDataset(root, Classes).Get(0));
        Assert.Contains(Path.Combine(root, "masks", "a.png"), e.Message);
        Assert.Contains("12×8", e.Message);
        Assert.Contains("12×9", e.Message);
        // A value that is neither a class nor 255.
        var bad = new byte[12 * 9];
        bad[3 * 12 + 5] = 7;
        MaskPng.Write(Path.Combine(root, "masks", "a.png"), bad, 12, 9);
        e = Assert.Throws<InvalidDataException>(() => new SegmentationFolderDataset(root, Classes).Get(0));
        Assert.Contains("pixel (x 5, y 3) has value 7", e.Message);
        // An image without mask.
        File.Delete(Path.Combine(root, "masks", "a.png"));
        e = Assert.Throws<InvalidDataException>(() => new SegmentationFolderDataset(root, Classes));
        Assert.Contains(Path.Combine(root, "images", "a.png"), e.Message);
        Assert.Contains("without a mask", e.Message);
        // An ignore index that is a class.
        Assert.Throws<ArgumentException>(() => new SegmentationFolderDataset(root, Classes, ignoreIndex: 1));
    }
}
