using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ModelDsl.Data;

/// <summary>
/// Reads and writes 8-bit single-plane PNGs whose bytes are class indices: masks as Pascal VOC stores
/// them (indexed/palette PNG, the palette only for viewing) or as plain grayscale PNGs.
/// </summary>
/// <remarks>
/// Hand-written rather than left to the image decoders because neither can return the indices of a
/// palette PNG: StbImageSharp always expands the palette to RGB(A) (stb_image's req_comp path), and
/// SkiaSharp 3 has no Index8 colour type any more (Skia removed kIndex_8 in 2017), so a VOC mask would
/// come back as colours, and colour → class is ambiguous when two classes share a palette colour.
/// PNG is zlib-compressed scanlines with a filter byte each; System.IO.Compression.ZLibStream does the
/// inflating, this file only undoes the five scanline filters. Supported: colour type 3 (palette, bit
/// depth 1/2/4/8) and colour type 0 (gray, bit depth 8), non-interlaced — what VOC, Cityscapes-style
/// label tools and PIL's <c>Image.save</c> of a "P" or "L" image write. Anything else is refused by name.
/// </remarks>
public static class MaskPng
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Pascal VOC's colour map: colour i of class i (bit-interleaved), entry 255 is (224, 224, 192).</summary>
    public static byte[] VocPalette()
    {
        var pal = new byte[256 * 3];
        for (int i = 0; i < 256; i++)
        {
            int r = 0, g = 0, b = 0, c = i;
            for (int j = 0; j < 8; j++)
            {
                r |= ((c >> 0) & 1) << (7 - j);
                g |= ((c >> 1) & 1) << (7 - j);
                b |= ((c >> 2) & 1) << (7 - j);
                c >>= 3;
            }
            pal[3 * i] = (byte)r; pal[3 * i + 1] = (byte)g; pal[3 * i + 2] = (byte)b;
        }
        return pal;
    }

    /// <summary>The indices of <paramref name="path"/>: row-major Height×Width bytes.</summary>
    public static (byte[] Indices, int Width, int Height) Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (IOException e) { throw new IOException($"Cannot read mask '{path}': {e.Message}", e); }
        try { return Decode(bytes); }
        catch (InvalidDataException e) { throw new InvalidDataException($"Mask '{path}': {e.Message}", e); }
    }

    /// <summary>Decodes an indexed or 8-bit gray PNG to its raw sample values.</summary>
    public static (byte[] Indices, int Width, int Height) Decode(ReadOnlySpan<byte> png)
    {
        if (png.Length < 8 || !png[..8].SequenceEqual(Signature))
            throw new InvalidDataException("not a PNG file (masks must be PNGs of class indices)");
        int width = 0, height = 0, depth = 0, colorType = -1;
        using var idat = new MemoryStream();
        int pos = 8;
        bool end = false;
        while (!end)
        {
            if (pos + 8 > png.Length) throw new InvalidDataException("truncated PNG (no IEND chunk)");
            int length = BinaryPrimitives.ReadInt32BigEndian(png[pos..]);
            string type = Encoding.ASCII.GetString(png.Slice(pos + 4, 4));
            if (length < 0 || pos + 12L + length > png.Length) throw new InvalidDataException($"truncated PNG chunk '{type}'");
            var data = png.Slice(pos + 8, length);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    depth = data[8];
                    colorType = data[9];
                    if (data[12] != 0) throw new InvalidDataException("interlaced PNG masks are not supported; save it non-interlaced");
                    bool ok = (colorType == 3 && depth is 1 or 2 or 4 or 8) || (colorType == 0 && depth == 8);
                    if (!ok)
                        throw new InvalidDataException(
                            $"PNG colour type {colorType} with bit depth {depth} is not a mask of class indices; " +
                            "expected an indexed (palette) PNG or an 8-bit grayscale PNG, as Pascal VOC masks are");
                    break;
                case "IDAT": idat.Write(data); break;
                case "IEND": end = true; break;
            }
            pos += 12 + length;
        }
        if (colorType < 0) throw new InvalidDataException("PNG without IHDR chunk");
        if (width <= 0 || height <= 0) throw new InvalidDataException($"PNG size {width}×{height} is not positive");
        int stride = (width * depth + 7) / 8;
        var raw = new byte[(long)(stride + 1) * height];
        idat.Position = 0;
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
        {
            int read = 0;
            try
            {
                while (read < raw.Length)
                {
                    int got = z.Read(raw, read, raw.Length - read);
                    if (got == 0) break;
                    read += got;
                }
            }
            catch (InvalidDataException e) { throw new InvalidDataException($"corrupt PNG image data: {e.Message}", e); }
            if (read < raw.Length) throw new InvalidDataException($"truncated PNG image data ({read} of {raw.Length} bytes)");
        }
        Unfilter(raw, stride, height, bytesPerPixel: 1);
        var indices = new byte[width * height];
        for (int y = 0; y < height; y++)
        {
            var line = raw.AsSpan(y * (stride + 1) + 1, stride);
            var dst = indices.AsSpan(y * width, width);
            if (depth == 8) { line[..width].CopyTo(dst); continue; }
            int perByte = 8 / depth, mask = (1 << depth) - 1;
            for (int x = 0; x < width; x++)
                dst[x] = (byte)((line[x / perByte] >> (8 - depth * (x % perByte + 1))) & mask);
        }
        return (indices, width, height);
    }

    /// <summary>Undoes the per-scanline filters (None, Sub, Up, Average, Paeth) in place.</summary>
    private static void Unfilter(byte[] raw, int stride, int height, int bytesPerPixel)
    {
        for (int y = 0; y < height; y++)
        {
            int row = y * (stride + 1);
            int filter = raw[row];
            var cur = raw.AsSpan(row + 1, stride);
            var prev = y == 0 ? Span<byte>.Empty : raw.AsSpan(row - stride, stride);
            for (int x = 0; x < stride; x++)
            {
                int a = x >= bytesPerPixel ? cur[x - bytesPerPixel] : 0;
                int b = y > 0 ? prev[x] : 0;
                int c = x >= bytesPerPixel && y > 0 ? prev[x - bytesPerPixel] : 0;
                cur[x] = filter switch
                {
                    0 => cur[x],
                    1 => (byte)(cur[x] + a),
                    2 => (byte)(cur[x] + b),
                    3 => (byte)(cur[x] + ((a + b) >> 1)),
                    4 => (byte)(cur[x] + Paeth(a, b, c)),
                    _ => throw new InvalidDataException($"unknown PNG filter type {filter} on row {y}"),
                };
            }
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>
    /// Writes row-major Height×Width bytes as an 8-bit PNG: indexed with <paramref name="palette"/> (256×RGB,
    /// e.g. <see cref="VocPalette"/>) when given, so viewers show class colours, otherwise grayscale.
    /// Either way <see cref="Read"/> gives the same bytes back.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<byte> indices, int width, int height, byte[]? palette = null)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        File.WriteAllBytes(path, Encode(indices, width, height, palette));
    }

    public static byte[] Encode(ReadOnlySpan<byte> indices, int width, int height, byte[]? palette = null)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"PNG size {width}×{height} must be positive.");
        if (indices.Length != width * height)
            throw new ArgumentException($"{indices.Length} bytes given for a {width}×{height} image ({width * height} needed).", nameof(indices));
        if (palette is not null && palette.Length != 256 * 3)
            throw new ArgumentException($"A palette has 256 RGB entries (768 bytes); got {palette.Length}.", nameof(palette));
        using var ms = new MemoryStream();
        ms.Write(Signature);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = (byte)(palette is null ? 0 : 3);
        WriteChunk(ms, "IHDR", ihdr);
        if (palette is not null) WriteChunk(ms, "PLTE", palette);
        using (var compressed = new MemoryStream())
        {
            using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                // Filter "Up" on every row but the first: masks are mostly runs, so rows repeat.
                var row = new byte[width + 1];
                for (int y = 0; y < height; y++)
                {
                    var cur = indices.Slice(y * width, width);
                    row[0] = (byte)(y == 0 ? 0 : 2);
                    for (int x = 0; x < width; x++)
                        row[x + 1] = y == 0 ? cur[x] : (byte)(cur[x] - indices[(y - 1) * width + x]);
                    z.Write(row);
                }
            }
            WriteChunk(ms, "IDAT", compressed.ToArray());
        }
        WriteChunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void WriteChunk(Stream s, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        Encoding.ASCII.GetBytes(type, head[4..]);
        s.Write(head);
        s.Write(data);
        uint crc = Crc32(head[4..], 0xFFFFFFFFu);
        crc = Crc32(data, crc) ^ 0xFFFFFFFFu;
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
        s.Write(tail);
    }

    private static readonly uint[] CrcTable = BuildCrcTable();

    private static uint[] BuildCrcTable()
    {
        var t = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }

    private static uint Crc32(ReadOnlySpan<byte> data, uint crc)
    {
        foreach (var b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }
}
