using ModelDsl.Data;
using Xunit;

namespace ModelDsl.Runtime.Tests.Data;

public class MaskPngTests
{
    private static byte[] Indices(int w, int h, int classes, int seed)
    {
        var r = new Random(seed);
        var v = new byte[w * h];
        for (int i = 0; i < v.Length; i++) v[i] = r.Next(10) == 0 ? (byte)255 : (byte)r.Next(classes);
        return v;
    }

    [Fact]
    public void Palette_mask_round_trips_to_the_indices_which_the_image_decoders_turn_into_colours()
    {
        using var dir = new TempDir();
        var v = Indices(37, 23, 21, 1);
        var path = dir.Sub("m.png");
        var palette = MaskPng.VocPalette();
        MaskPng.Write(path, v, 37, 23, palette);
        var (back, w, h) = MaskPng.Read(path);
        Assert.Equal((37, 23), (w, h));
        Assert.Equal(v, back);
        // The reason for MaskPng: StbImageSharp expands the palette, so index i comes back as colour i.
        var rgb = ImageDecoders.Stb.Decode(File.ReadAllBytes(path), 3);
        for (int i = 0; i < v.Length; i++)
            Assert.Equal(palette.AsSpan(3 * v[i], 3).ToArray(), rgb.Pixels.AsSpan(3 * i, 3).ToArray());
        Assert.Equal((128, 0, 0), (palette[3], palette[4], palette[5]));          // VOC class 1 is dark red
        Assert.Equal((224, 224, 192), (palette[765], palette[766], palette[767])); // VOC 255 (ignore) is cream
    }

    [Fact]
    public void Gray_mask_written_by_libpng_reads_back_exactly()
    {
        using var dir = new TempDir();
        var v = Indices(50, 31, 200, 2);
        var path = dir.Sub("g.png");
        DenseTestFiles.WriteGrayPngWithSkia(path, v, 50, 31);
        Assert.Equal(v, MaskPng.Read(path).Indices);
        MaskPng.Write(dir.Sub("ours.png"), v, 50, 31);           // and our gray writer gives what the decoders read
        Assert.Equal(v, ImageDecoders.Stb.Decode(File.ReadAllBytes(dir.Sub("ours.png")), 1).Pixels);
        Assert.Equal(v, ImageDecoders.Skia.Decode(File.ReadAllBytes(dir.Sub("ours.png")), 1).Pixels);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Packed_palette_depths_unpack(int depth)
    {
        var r = new Random(depth);
        int w = 13, h = 5;
        var v = Enumerable.Range(0, w * h).Select(_ => (byte)r.Next(1 << depth)).ToArray();
        var (back, bw, bh) = MaskPng.Decode(DenseTestFiles.PackedPalettePng(v, w, h, depth));
        Assert.Equal((w, h), (bw, bh));
        Assert.Equal(v, back);
    }

    [Fact]
    public void Colour_and_broken_files_are_refused_by_name()
    {
        using var dir = new TempDir();
        var rgb = dir.Sub("rgb.png");
        DenseTestFiles.WriteRgbPng(rgb, 4, 4, (x, y) => new SkiaSharp.SKColor((byte)(x * 60), 0, 0));
        var e = Assert.Throws<InvalidDataException>(() => MaskPng.Read(rgb));
        Assert.Contains(rgb, e.Message);
        Assert.Contains("colour type 2", e.Message);
        File.WriteAllBytes(dir.Sub("x.png"), [1, 2, 3]);
        Assert.Contains("not a PNG", Assert.Throws<InvalidDataException>(() => MaskPng.Read(dir.Sub("x.png"))).Message);
        var good = MaskPng.Encode(new byte[64], 8, 8);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => MaskPng.Decode(good.AsSpan(0, good.Length - 20))).Message);
    }
}
