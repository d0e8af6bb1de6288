using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using SkiaSharp;

namespace ModelDsl.Runtime.Tests.Data;

/// <summary>Real-format files for the dense-data tests, written by other encoders than the code under test.</summary>
internal static class DenseTestFiles
{
    /// <summary>An 8-bit gray PNG written by SkiaSharp's encoder (libpng, adaptive filters).</summary>
    public static void WriteGrayPngWithSkia(string path, byte[] gray, int width, int height)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bmp = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        Marshal.Copy(gray, 0, bmp.GetPixels(), gray.Length);
        using var data = bmp.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }

    /// <summary>An RGB PNG (SkiaSharp), e.g. an image, or a colour mask that must be refused.</summary>
    public static void WriteRgbPng(string path, int width, int height, Func<int, int, SKColor> pixel)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bmp = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) bmp.SetPixel(x, y, pixel(x, y));
        using var data = bmp.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }

    /// <summary>
    /// A palette PNG of bit depth 1, 2 or 4 built by hand (filter 0 rows, packed samples MSB first), as
    /// PIL writes small-palette masks. CRCs are left 0: readers that skip CRC checks (ours) do not care.
    /// </summary>
    public static byte[] PackedPalettePng(byte[] indices, int width, int height, int depth)
    {
        int stride = (width * depth + 7) / 8, perByte = 8 / depth;
        var raw = new byte[(stride + 1) * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                raw[y * (stride + 1) + 1 + x / perByte] |= (byte)(indices[y * width + x] << (8 - depth * (x % perByte + 1)));
        using var ms = new MemoryStream();
        ms.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)depth; ihdr[9] = 3;
        Chunk(ms, "IHDR", ihdr);
        Chunk(ms, "PLTE", new byte[3 << depth]);
        using (var z = new MemoryStream())
        {
            using (var zs = new ZLibStream(z, CompressionLevel.Fastest, leaveOpen: true)) zs.Write(raw);
            Chunk(ms, "IDAT", z.ToArray());
        }
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var head = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(head, 4);
        s.Write(head); s.Write(data); s.Write(new byte[4]);
    }
}
