using SkiaSharp;

namespace ModelDsl.Data;

/// <summary>Reads an image's width and height from its header only (SkiaSharp's codec), without decoding pixels.</summary>
public static class ImageSize
{
    public static (int Width, int Height) Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Image not found: '{path}'.", path);
        using var codec = SKCodec.Create(path)
            ?? throw new InvalidDataException($"Image '{path}' is not a recognised image (PNG, JPEG, BMP).");
        return (codec.Info.Width, codec.Info.Height);
    }
}
