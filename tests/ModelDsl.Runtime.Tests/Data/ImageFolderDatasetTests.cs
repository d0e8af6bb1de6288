using ModelDsl.Data;
using SkiaSharp;
using TorchSharp;
using Xunit;

namespace ModelDsl.Runtime.Tests.Data;

public class ImageFolderDatasetTests
{
    /// <summary>root/cat: RGB PNG, RGBA PNG, gray PNG; root/dog: JPEG, BMP (larger), and a README.</summary>
    private static void WriteMixedFolder(string root)
    {
        using (var rgb = DataTestFiles.Pattern(8, 6)) DataTestFiles.WriteEncoded(Path.Combine(root, "cat", "a_rgb.png"), rgb, SKEncodedImageFormat.Png);
        using (var rgba = DataTestFiles.Pattern(8, 6, alpha: 128)) DataTestFiles.WriteEncoded(Path.Combine(root, "cat", "b_rgba.png"), rgba, SKEncodedImageFormat.Png);
        using (var gray = DataTestFiles.Pattern(8, 6, gray: true)) DataTestFiles.WriteEncoded(Path.Combine(root, "cat", "c_gray.png"), gray, SKEncodedImageFormat.Png);
        using (var jpg = DataTestFiles.Pattern(8, 6)) DataTestFiles.WriteEncoded(Path.Combine(root, "dog", "a.jpg"), jpg, SKEncodedImageFormat.Jpeg, 100);
        DataTestFiles.WriteBmp24(Path.Combine(root, "dog", "b.BMP"), 16, 12, (x, y) => ((byte)(5 * x), (byte)(5 * y), 100));
        File.WriteAllText(Path.Combine(root, "dog", "README.txt"), "not an image");
    }

    [Fact]
    public void Classes_sorted_formats_decoded_channels_converted_and_sizes_unified()
    {
        using var dir = new TempDir();
        WriteMixedFolder(dir.Path);
        var ds = new ImageFolderDataset(dir.Path, new ImageFolderOptions { Channels = 3 });
        Assert.Equal(["cat", "dog"], ds.ClassNames);
        Assert.Equal(1, ds.ClassToIndex["dog"]);
        Assert.Equal(5, ds.Count);
        Assert.Equal(1, ds.UnsupportedCount);
        Assert.Equal((3, 6, 8), (ds.Channels, ds.Height, ds.Width));   // size of the first image
        for (int i = 0; i < ds.Count; i++)
        {
            var (img, label) = ds.Get(i);
            using (img)
            {
                Assert.Equal(new long[] { 3, 6, 8 }, img.shape);
                Assert.True(img.min().item<float>() >= 0 && img.max().item<float>() <= 1, ds.Sample(i).Path);
                Assert.Equal(i < 3 ? 0 : 1, label);
            }
        }
        // RGB PNG is lossless: pixel (x=3, y=2) = (30, 20, 100); RGBA keeps colour (alpha dropped, not premultiplied).
        foreach (int i in new[] { 0, 1 })
        {
            var (img, _) = ds.Get(i);
            using (img)
            {
                Assert.Equal(30 / 255f, img[0, 2, 3].item<float>(), 4);
                Assert.Equal(20 / 255f, img[1, 2, 3].item<float>(), 4);
                Assert.Equal(100 / 255f, img[2, 2, 3].item<float>(), 4);
            }
        }
        // Gray source → three equal channels.
        var (g, _) = ds.Get(2);
        using (g)
        {
            Assert.Equal(50 / 255f, g[0, 1, 5].item<float>(), 4);
            Assert.True(g[0].SameAs(g[2]).item<bool>());
        }
    }

    [Fact]
    public void Gray_and_rgba_targets_and_explicit_size()
    {
        using var dir = new TempDir();
        WriteMixedFolder(dir.Path);
        var gray = new ImageFolderDataset(dir.Path, new ImageFolderOptions { Channels = 1, Height = 4, Width = 4 });
        var (img, _) = gray.Get(0);
        using (img) Assert.Equal(new long[] { 1, 4, 4 }, img.shape);
        var rgba = new ImageFolderDataset(dir.Path, new ImageFolderOptions { Channels = 4 });
        var (a, _) = rgba.Get(1);
        using (a) Assert.Equal(128 / 255f, a[3, 0, 0].item<float>(), 3);
        var strict = new ImageFolderDataset(dir.Path, new ImageFolderOptions { Resize = ResizePolicy.Error });
        var e = Assert.Throws<InvalidDataException>(() => strict.Get(4));
        Assert.Contains("b.BMP", e.Message);
        Assert.Contains("16×12", e.Message);
        var crop = new ImageFolderDataset(dir.Path, new ImageFolderOptions { Resize = ResizePolicy.ResizeShorterThenCenterCrop, Height = 6, Width = 6 });
        var (c, _) = crop.Get(4);
        using (c) Assert.Equal(new long[] { 3, 6, 6 }, c.shape);
    }

    [Fact]
    public void Stb_decoder_reads_the_same_lossless_pixels()
    {
        using var dir = new TempDir();
        WriteMixedFolder(dir.Path);
        foreach (int channels in new[] { 1, 3, 4 })
        {
            var skia = new ImageFolderDataset(dir.Path, new ImageFolderOptions { Decoder = ImageDecoders.Skia, Channels = channels });
            var stb = new ImageFolderDataset(dir.Path, new ImageFolderOptions { Decoder = ImageDecoders.Stb, Channels = channels });
            var auto = new ImageFolderDataset(dir.Path, new ImageFolderOptions { Decoder = ImageDecoders.Auto, Channels = channels });
            // Lossless sources (PNG RGB/RGBA/gray, BMP); gray conversion of colour images may round differently by ±1/255.
            foreach (int i in new[] { 0, 1, 2, 4 })
            {
                var (a, _) = skia.Get(i);
                var (b, _) = stb.Get(i);
                var (c, _) = auto.Get(i);
                double tol = channels == 1 ? 1.5 / 255 : 1e-6;
                using (a) using (b) using (c)
                {
                    Assert.True(a.allclose(b, atol: tol), $"{skia.Sample(i).Path} channels {channels}");
                    Assert.True(c.allclose(a, atol: tol), $"{skia.Sample(i).Path} channels {channels} (auto)");
                }
            }
        }
    }

    [Fact]
    public void Corrupt_image_throws_naming_the_file_and_skip_mode_counts_it()
    {
        using var dir = new TempDir();
        WriteMixedFolder(dir.Path);
        var good = File.ReadAllBytes(Path.Combine(dir.Path, "cat", "a_rgb.png"));
        File.WriteAllBytes(Path.Combine(dir.Path, "cat", "d_truncated.png"), good[..(good.Length / 2)]);
        File.WriteAllBytes(Path.Combine(dir.Path, "dog", "c_garbage.jpg"), [1, 2, 3, 4, 5, 6, 7, 8]);

        var ds = new ImageFolderDataset(dir.Path);
        int truncated = Enumerable.Range(0, ds.Count).Single(i => ds.Sample(i).Path.EndsWith("d_truncated.png"));
        var e = Assert.Throws<InvalidDataException>(() => ds.Get(truncated));
        Assert.Contains("d_truncated.png", e.Message);
        using var loader = new DataLoader(ds, batchSize: 2, workers: 2);
        var le = Assert.Throws<InvalidDataException>(() => { foreach (var b in loader) b.Dispose(); });
        Assert.Contains(dir.Path, le.Message);

        var skip = new ImageFolderDataset(dir.Path, new ImageFolderOptions { OnCorrupt = CorruptImagePolicy.Skip });
        Assert.Equal(2, skip.SkippedCount);
        Assert.Equal(5, skip.Count);
        Assert.Contains(skip.SkippedFiles, f => f.EndsWith("c_garbage.jpg"));
        foreach (var b in new DataLoader(skip, batchSize: 2)) b.Dispose();
    }

    [Fact]
    public void Empty_class_folder_and_folder_without_images_are_clear_errors()
    {
        using var dir = new TempDir();
        WriteMixedFolder(dir.Path);
        Directory.CreateDirectory(Path.Combine(dir.Path, "emu"));
        var e = Assert.Throws<InvalidDataException>(() => new ImageFolderDataset(dir.Path));
        Assert.Contains("emu", e.Message);
        var allowed = new ImageFolderDataset(dir.Path, new ImageFolderOptions { AllowEmptyClasses = true });
        Assert.Equal(3, allowed.ClassNames.Count);

        using var none = new TempDir();
        Directory.CreateDirectory(none.Sub("a"));
        File.WriteAllText(none.Sub("a", "notes.txt"), "x");
        var e2 = Assert.Throws<InvalidDataException>(() => new ImageFolderDataset(none.Path));
        Assert.Contains("no images", e2.Message);
        Assert.Contains("1 unsupported", e2.Message);

        using var flat = new TempDir();
        var e3 = Assert.Throws<InvalidDataException>(() => new ImageFolderDataset(flat.Path));
        Assert.Contains("no class folders", e3.Message);
    }
}
