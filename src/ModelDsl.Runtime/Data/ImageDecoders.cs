using SkiaSharp;
using StbImageSharp;

namespace ModelDsl.Data;

/// <summary>A decoded image: interleaved H×W×Channels bytes.</summary>
public readonly record struct DecodedImage(byte[] Pixels, int Width, int Height, int Channels);

/// <summary>Decodes an encoded image (PNG, JPEG, BMP) into interleaved bytes with the requested channel count (1, 3 or 4).</summary>
public interface IImageDecoder
{
    string Name { get; }

    /// <summary>Decodes <paramref name="encoded"/>; throws <see cref="InvalidDataException"/> when it is not a decodable image.</summary>
    DecodedImage Decode(ReadOnlySpan<byte> encoded, int channels);
}

/// <summary>
/// The two decoder libraries that restore here, and <see cref="Auto"/>, the default, which picks per file
/// by its magic bytes what measured fastest per CPU-second on 32×32 images (docs/BENCHMARKS.md, "Data
/// pipeline"): StbImageSharp for PNG (managed; no native codec set up per image, which dominates for
/// small images in SkiaSharp), SkiaSharp (libjpeg-turbo) for JPEG, BMP and everything else. (A
/// hand-written PNG path over .NET's native zlib was tried and was not faster than StbImageSharp.)
/// </summary>
public static class ImageDecoders
{
    public static IImageDecoder Skia { get; } = new SkiaDecoder();
    public static IImageDecoder Stb { get; } = new StbDecoder();
    public static IImageDecoder Auto { get; } = new AutoDecoder();
    public static IImageDecoder Default => Auto;

    private sealed class AutoDecoder : IImageDecoder
    {
        public string Name => "Auto (PNG: StbImageSharp, else SkiaSharp)";

        public DecodedImage Decode(ReadOnlySpan<byte> encoded, int channels)
        {
            CheckChannels(channels);
            bool png = encoded.Length >= 8 && encoded[0] == 0x89 && encoded[1] == (byte)'P' && encoded[2] == (byte)'N' && encoded[3] == (byte)'G';
            return png ? Stb.Decode(encoded, channels) : Skia.Decode(encoded, channels);
        }
    }

    /// <summary>ITU-R BT.601 luma, as PIL's convert("L") and torchvision's rgb_to_grayscale use.</summary>
    internal static byte Luma(byte r, byte g, byte b) => (byte)((r * 299 + g * 587 + b * 114 + 500) / 1000);

    /// <summary>Converts interleaved 4-channel RGBA (unpremultiplied) to 1, 3 or 4 channels. Alpha is dropped, not composited.</summary>
    internal static byte[] FromRgba(ReadOnlySpan<byte> rgba, int pixels, int channels)
    {
        if (channels == 4) return rgba[..(pixels * 4)].ToArray();
        var dst = new byte[pixels * channels];
        for (int i = 0; i < pixels; i++)
        {
            byte r = rgba[4 * i], g = rgba[4 * i + 1], b = rgba[4 * i + 2];
            if (channels == 1) dst[i] = Luma(r, g, b);
            else { dst[3 * i] = r; dst[3 * i + 1] = g; dst[3 * i + 2] = b; }
        }
        return dst;
    }

    internal static void CheckChannels(int channels)
    {
        if (channels is not (1 or 3 or 4))
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images can be decoded to 1 (gray), 3 (RGB) or 4 (RGBA) channels.");
    }

    private sealed class SkiaDecoder : IImageDecoder
    {
        public string Name => "SkiaSharp";

        public unsafe DecodedImage Decode(ReadOnlySpan<byte> encoded, int channels)
        {
            CheckChannels(channels);
            fixed (byte* p = encoded)
            {
                using var data = SKData.Create((IntPtr)p, encoded.Length);
                using var codec = SKCodec.Create(data)
                    ?? throw new InvalidDataException("not a recognised image (SkiaSharp could not read its header)");
                var info = codec.Info;
                // Gray sources decode straight to Gray8 when gray is wanted (Skia cannot convert colour to
                // Gray8 itself); everything else goes via unpremultiplied RGBA so that alpha never darkens
                // the colour channels, and colour → gray uses BT.601 luma.
                bool gray = channels == 1 && info.ColorType == SKColorType.Gray8;
                var target = new SKImageInfo(info.Width, info.Height, gray ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Unpremul);
                int bpp = gray ? 1 : 4;
                var buffer = new byte[info.Width * info.Height * bpp];
                SKCodecResult result;
                fixed (byte* b = buffer)
                    result = codec.GetPixels(target, (IntPtr)b);
                if (result is not (SKCodecResult.Success))
                    throw new InvalidDataException($"SkiaSharp could not decode the image: {result} (truncated or corrupt data)");
                return gray || (channels == 4)
                    ? new DecodedImage(buffer, info.Width, info.Height, channels)
                    : new DecodedImage(FromRgba(buffer, info.Width * info.Height, channels), info.Width, info.Height, channels);
            }
        }
    }

    private sealed class StbDecoder : IImageDecoder
    {
        public string Name => "StbImageSharp";

        /// <summary>
        /// A decoder's message with its control characters written as \xNN: decoders quote the bytes they choke on (a
        /// truncated PNG's "chunk type" can be NUL bytes), and a NUL in a message cuts it short in terminals and logs.
        /// </summary>
        internal static string Printable(string message)
            => message.Any(char.IsControl)
                ? string.Concat(message.Select(c => char.IsControl(c) ? $"\\x{(int)c:X2}" : c.ToString()))
                : message;

        public DecodedImage Decode(ReadOnlySpan<byte> encoded, int channels)
        {
            CheckChannels(channels);
            var comp = channels switch { 1 => ColorComponents.Grey, 3 => ColorComponents.RedGreenBlue, _ => ColorComponents.RedGreenBlueAlpha };
            ImageResult img;
            try
            {
                img = ImageResult.FromMemory(encoded.ToArray(), comp);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new InvalidDataException($"StbImageSharp could not decode the image: {Printable(e.Message)}", e);
            }
            if (img?.Data is null)
                throw new InvalidDataException("StbImageSharp could not decode the image");
            return new DecodedImage(img.Data, img.Width, img.Height, channels);
        }
    }
}
