using System.Buffers.Binary;
using System.IO.Compression;

namespace ModelDsl.Data;

/// <summary>
/// Reads the IDX format that MNIST is distributed in (big-endian header: magic, then one int32 per
/// dimension, then unsigned bytes), gzipped or raw. Gzip is recognised by its magic bytes, not by the
/// file name, because people rename files when they unpack them by hand.
/// </summary>
internal static class IdxReader
{
    public const int ImagesMagic = 2051; // 0x00000803: unsigned byte, 3 dimensions
    public const int LabelsMagic = 2049; // 0x00000801: unsigned byte, 1 dimension

    /// <summary>Reads an IDX file and returns its dimensions and payload, validating magic and size.</summary>
    public static (int[] Dims, byte[] Data) Read(string path, int expectedMagic)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"IDX file not found: {path}", path);
        byte[] bytes = ReadAllMaybeGzip(path, out bool gz);
        string what = gz ? "decompressed bytes" : "bytes";
        if (bytes.Length < 8)
            throw new InvalidDataException($"IDX file '{path}' is truncated: expected at least 8 {what} of header, got {bytes.Length}.");
        int magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (magic != expectedMagic)
            throw new InvalidDataException($"IDX file '{path}' has magic number {magic} (0x{magic:X8}); expected {expectedMagic} (0x{expectedMagic:X8}) for {(expectedMagic == ImagesMagic ? "images" : "labels")}.");
        int ndim = magic & 0xFF;
        int headerSize = 4 + 4 * ndim;
        if (bytes.Length < headerSize)
            throw new InvalidDataException($"IDX file '{path}' is truncated: expected {headerSize} {what} of header, got {bytes.Length}.");
        var dims = new int[ndim];
        long payload = 1;
        for (int d = 0; d < ndim; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * d));
            if (dims[d] < 0)
                throw new InvalidDataException($"IDX file '{path}' declares a negative size {dims[d]} for dimension {d}.");
            payload *= dims[d];
        }
        long expected = headerSize + payload;
        if (bytes.Length != expected)
            throw new InvalidDataException(
                $"IDX file '{path}' is {(bytes.Length < expected ? "truncated" : "longer than its header says")}: header [{string.Join("×", dims)}] " +
                $"needs {expected} {what}, got {bytes.Length}.");
        return (dims, bytes.AsSpan(headerSize).ToArray());
    }

    private static byte[] ReadAllMaybeGzip(string path, out bool gz)
    {
        using var fs = File.OpenRead(path);
        Span<byte> head = stackalloc byte[2];
        int n = fs.Read(head);
        fs.Position = 0;
        gz = n == 2 && head[0] == 0x1f && head[1] == 0x8b;
        if (!gz)
        {
            var all = new byte[fs.Length];
            fs.ReadExactly(all);
            return all;
        }
        using var z = new GZipStream(fs, CompressionMode.Decompress);
        using var ms = new MemoryStream();
        try { z.CopyTo(ms); }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"IDX file '{path}' is not a valid gzip stream ({e.Message}); it may be truncated or corrupt.", e);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"IDX file '{path}' is a truncated gzip stream after {ms.Length} decompressed bytes.", e);
        }
        return ms.ToArray();
    }
}
