using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace ModelDsl.Data;

/// <summary>
/// A PNG decoder for the common case — 8-bit, non-interlaced, gray / gray+alpha / RGB / RGBA / palette —
/// that inflates with .NET's native zlib (ZLibStream) and unfilters in place. It exists because for the
/// small images of ImageFolder datasets (e.g. 32×32) the per-image fixed costs of the general decoders
/// dominate: StbImageSharp inflates in managed code and SkiaSharp sets up a native codec per image. Any
/// other PNG (16-bit, sub-byte depths, interlaced) returns null and <see cref="ImageDecoders.Auto"/> falls
/// back to StbImageSharp. CRCs are not checked (as in most decoders); truncation is detected.
/// </summary>
internal static class PngFastDecoder
{
    public static DecodedImage? TryDecode(ReadOnlySpan<byte> png, int channels)
    {
        if (png.Length < 8 + 25 || !png[..8].SequenceEqual(stackalloc byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }))
            return null;
        int pos = 8;
        int width = 0, height = 0, colorType = -1;
        ReadOnlySpan<byte> palette = default, trns = default;
        var idat = new ArrayBufferWriter<byte>(png.Length);
        bool sawEnd = false;
        while (pos + 8 <= png.Length)
        {
            int len = BinaryPrimitives.ReadInt32BigEndian(png[pos..]);
            uint type = BinaryPrimitives.ReadUInt32BigEndian(png[(pos + 4)..]);
            if (len < 0 || pos + 12L + len > png.Length)
                throw new InvalidDataException($"PNG chunk at byte {pos} needs {len + 12} bytes, only {png.Length - pos} left (truncated file)");
            var data = png.Slice(pos + 8, len);
            pos += 12 + len;
            switch (type)
            {
                case 0x49484452: // IHDR
                    if (len < 13) throw new InvalidDataException("PNG IHDR chunk too short");
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    int depth = data[8];
                    colorType = data[9];
                    if (depth != 8 || data[12] != 0 || colorType is not (0 or 2 or 3 or 4 or 6)) return null;
                    if (width <= 0 || height <= 0 || (long)width * height > 1 << 28) throw new InvalidDataException($"PNG has invalid size {width}×{height}");
                    break;
                case 0x504C5445: palette = data; break;          // PLTE
                case 0x74524E53: trns = data; break;             // tRNS
                case 0x49444154: idat.Write(data); break;        // IDAT
                case 0x49454E44: sawEnd = true; break;           // IEND
            }
            if (sawEnd) break;
        }
        if (colorType < 0) throw new InvalidDataException("PNG has no IHDR chunk");
        if (!sawEnd) throw new InvalidDataException("PNG ends before its IEND chunk (truncated file)");
        int bpp = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
        int stride = width * bpp;
        var raw = new byte[(stride + 1) * height];
        using (var z = new ZLibStream(new MemoryStream(idat.WrittenSpan.ToArray(), writable: false), CompressionMode.Decompress))
        {
            int got = 0;
            try
            {
                while (got < raw.Length)
                {
                    int n = z.Read(raw, got, raw.Length - got);
                    if (n == 0) break;
                    got += n;
                }
            }
            catch (InvalidDataException e) { throw new InvalidDataException($"PNG image data is corrupt: {e.Message}", e); }
            if (got < raw.Length) throw new InvalidDataException($"PNG image data is truncated: {got} of {raw.Length} decompressed bytes");
        }
        Unfilter(raw, stride, height, bpp);
        if (colorType == 3 && palette.Length < 3) throw new InvalidDataException("Palette PNG without a PLTE chunk");
        var outp = new byte[width * height * channels];
        for (int y = 0; y < height; y++)
        {
            var row = raw.AsSpan(y * (stride + 1) + 1, stride);
            var dst = outp.AsSpan(y * width * channels, width * channels);
            for (int x = 0; x < width; x++)
            {
                byte r, g, b, a = 255;
                switch (colorType)
                {
                    case 0: r = g = b = row[x]; break;
                    case 4: r = g = b = row[2 * x]; a = row[2 * x + 1]; break;
                    case 2: r = row[3 * x]; g = row[3 * x + 1]; b = row[3 * x + 2]; break;
                    case 6: r = row[4 * x]; g = row[4 * x + 1]; b = row[4 * x + 2]; a = row[4 * x + 3]; break;
                    default:
                        int i = row[x];
                        if (3 * i + 2 >= palette.Length) throw new InvalidDataException($"PNG palette index {i} outside a {palette.Length / 3}-entry palette");
                        r = palette[3 * i]; g = palette[3 * i + 1]; b = palette[3 * i + 2];
                        if (i < trns.Length) a = trns[i];
                        break;
                }
                switch (channels)
                {
                    case 1: dst[x] = colorType is 0 or 4 ? r : ImageDecoders.Luma(r, g, b); break;
                    case 3: dst[3 * x] = r; dst[3 * x + 1] = g; dst[3 * x + 2] = b; break;
                    default: dst[4 * x] = r; dst[4 * x + 1] = g; dst[4 * x + 2] = b; dst[4 * x + 3] = a; break;
                }
            }
        }
        return new DecodedImage(outp, width, height, channels);
    }

    /// <summary>Undoes the per-row filters (None, Sub, Up, Average, Paeth) in place.</summary>
    private static void Unfilter(byte[] raw, int stride, int height, int bpp)
    {
        for (int y = 0; y < height; y++)
        {
            int start = y * (stride + 1);
            byte filter = raw[start];
            var cur = raw.AsSpan(start + 1, stride);
            var prev = y == 0 ? Span<byte>.Empty : raw.AsSpan(start - stride, stride);
            switch (filter)
            {
                case 0: break;
                case 1: for (int i = bpp; i < stride; i++) cur[i] += cur[i - bpp]; break;
                case 2: if (y > 0) for (int i = 0; i < stride; i++) cur[i] += prev[i]; break;
                case 3:
                    for (int i = 0; i < stride; i++)
                    {
                        int left = i >= bpp ? cur[i - bpp] : 0, up = y > 0 ? prev[i] : 0;
                        cur[i] += (byte)((left + up) >> 1);
                    }
                    break;
                case 4:
                    for (int i = 0; i < stride; i++)
                    {
                        int a = i >= bpp ? cur[i - bpp] : 0, b = y > 0 ? prev[i] : 0, c = i >= bpp && y > 0 ? prev[i - bpp] : 0;
                        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                        cur[i] += (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
                    }
                    break;
                default: throw new InvalidDataException($"PNG row {y} has unknown filter type {filter}");
            }
        }
    }
}
