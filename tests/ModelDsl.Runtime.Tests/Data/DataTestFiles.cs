using System.Buffers.Binary;
using System.IO.Compression;
using SkiaSharp;

namespace ModelDsl.Runtime.Tests.Data;

/// <summary>A temporary folder deleted at the end of a test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "modeldsl-data-" + Guid.NewGuid().ToString("N")));
    public string Path { get; }
    public string Sub(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Writes real-format files (IDX, CIFAR-10 binary, PNG/JPEG/BMP) for the tests.</summary>
internal static class DataTestFiles
{
    public static byte[] Idx(int magic, int[] dims, byte[] payload)
    {
        var bytes = new byte[4 + 4 * dims.Length + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        payload.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var z = new GZipStream(ms, CompressionLevel.Fastest)) z.Write(data);
        return ms.ToArray();
    }

    public static byte[] Gunzip(string path)
    {
        using var z = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var ms = new MemoryStream();
        z.CopyTo(ms);
        return ms.ToArray();
    }

    /// <summary>CIFAR-10 records: label byte then 3×32×32 planar pixels; pixel value = (record + channel·7 + offset) mod 256.</summary>
    public static byte[] CifarRecords(int count, int labelOffset = 0, int recordOffset = 0)
    {
        var bytes = new byte[count * 3073];
        for (int r = 0; r < count; r++)
        {
            bytes[r * 3073] = (byte)((r + labelOffset) % 10);
            for (int c = 0; c < 3; c++)
                for (int i = 0; i < 1024; i++)
                    bytes[r * 3073 + 1 + c * 1024 + i] = (byte)((r + recordOffset + c * 7 + i) % 256);
        }
        return bytes;
    }

    public static string WriteCifar(string dir, int perBatch = 4, int test = 3)
    {
        Directory.CreateDirectory(dir);
        for (int b = 1; b <= 5; b++) File.WriteAllBytes(Path.Combine(dir, $"data_batch_{b}.bin"), CifarRecords(perBatch, b, b * 100));
        File.WriteAllBytes(Path.Combine(dir, "test_batch.bin"), CifarRecords(test));
        File.WriteAllLines(Path.Combine(dir, "batches.meta.txt"), ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck", ""]);
        return dir;
    }

    /// <summary>An image whose pixel (x, y) has R = 10x, G = 10y, B = 100, A = alpha.</summary>
    public static SKBitmap Pattern(int w, int h, byte alpha = 255, bool gray = false)
    {
        var bmp = new SKBitmap(new SKImageInfo(w, h, gray ? SKColorType.Gray8 : SKColorType.Rgba8888, gray ? SKAlphaType.Opaque : SKAlphaType.Unpremul));
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                bmp.SetPixel(x, y, gray ? new SKColor((byte)(10 * x), (byte)(10 * x), (byte)(10 * x)) : new SKColor((byte)(10 * x), (byte)(10 * y), 100, alpha));
        return bmp;
    }

    public static void WriteEncoded(string path, SKBitmap bmp, SKEncodedImageFormat format, int quality = 100)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var data = bmp.Encode(format, quality) ?? throw new InvalidOperationException($"SkiaSharp cannot encode {format}");
        File.WriteAllBytes(path, data.ToArray());
    }

    /// <summary>A 24-bit uncompressed BMP (BITMAPINFOHEADER, bottom-up rows padded to 4 bytes): SkiaSharp decodes BMP but does not encode it.</summary>
    public static void WriteBmp24(string path, int w, int h, Func<int, int, (byte R, byte G, byte B)> pixel)
    {
        int stride = (w * 3 + 3) & ~3;
        var bytes = new byte[54 + stride * h];
        bytes[0] = (byte)'B'; bytes[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2), bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), w);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), h);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(34), stride * h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                var (r, g, b) = pixel(x, y);
                int o = 54 + (h - 1 - y) * stride + 3 * x;
                bytes[o] = b; bytes[o + 1] = g; bytes[o + 2] = r;
            }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }
}

internal static class TensorTestExtensions
{
    /// <summary>Whole-tensor equality (TorchSharp's <c>equal</c> is elementwise), as a 0-d bool tensor so call sites read <c>a.SameAs(b).item&lt;bool&gt;()</c>.</summary>
    public static TorchSharp.torch.Tensor SameAs(this TorchSharp.torch.Tensor a, TorchSharp.torch.Tensor b)
    {
        using var eq = a.shape.SequenceEqual(b.shape) ? a.eq(b).all() : null;
        return TorchSharp.torch.tensor(eq is not null && eq.item<bool>());
    }
}
