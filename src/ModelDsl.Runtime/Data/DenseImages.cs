using ModelDsl.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Data;

/// <summary>Shared by the dense datasets: decode an image file naming it on failure, and bring images and masks to the sample size.</summary>
internal static class DenseImages
{
    public static readonly IReadOnlySet<string> Extensions = ImageFolderDataset.SupportedExtensions;

    /// <summary>The image files under <paramref name="directory"/> (recursively), sorted ordinally.</summary>
    public static string[] List(string directory, string what)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"{what}: folder not found: '{directory}'.");
        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f))).OrderBy(f => f, StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new InvalidDataException($"{what}: '{directory}' contains no images ({string.Join(", ", Extensions)}).");
        return files;
    }

    public static DecodedImage Decode(string path, IImageDecoder decoder, int channels)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (IOException e) { throw new IOException($"Cannot read image '{path}': {e.Message}", e); }
        try { return decoder.Decode(bytes, channels); }
        catch (InvalidDataException e) { throw new InvalidDataException($"Corrupt or unsupported image '{path}' ({bytes.Length} bytes): {e.Message}", e); }
    }

    /// <summary>Interleaved bytes → float32 C×H×W in [0,1] of size <paramref name="height"/>×<paramref name="width"/> (bilinear, antialiased when shrinking).</summary>
    public static Tensor ToTensor(DecodedImage img, int height, int width, ResizePolicy policy, string path)
    {
        CheckSize(img.Width, img.Height, width, height, policy, path);
        using var scope = NewDisposeScope();
        var x = torch.tensor(img.Pixels, new long[] { img.Height, img.Width, img.Channels }, ScalarType.Byte)
            .permute(2, 0, 1).to_type(ScalarType.Float32).div_(KeptScalars.Constant(255.0));
        if (img.Height != height || img.Width != width)
        {
            bool shrink = height < img.Height || width < img.Width;
            x = nn.functional.interpolate(x.unsqueeze(0), new long[] { height, width }, mode: InterpolationMode.Bilinear, align_corners: false, antialias: shrink)
                .squeeze(0).clamp_(KeptScalars.Constant(0.0), KeptScalars.Constant(1.0));
        }
        return x.contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Mask bytes → int64 H×W of size <paramref name="height"/>×<paramref name="width"/> (nearest: no invented class values).</summary>
    public static Tensor MaskToTensor(byte[] indices, int maskWidth, int maskHeight, int height, int width)
    {
        using var scope = NewDisposeScope();
        var m = torch.tensor(indices, new long[] { maskHeight, maskWidth }, ScalarType.Byte);
        if (maskHeight != height || maskWidth != width)
            m = nn.functional.interpolate(m.to_type(ScalarType.Float32).view(1, 1, maskHeight, maskWidth), new long[] { height, width }, mode: InterpolationMode.Nearest)
                .view(height, width);
        return m.to_type(ScalarType.Int64).MoveToOuterDisposeScope();
    }

    public static void CheckSize(int imageWidth, int imageHeight, int width, int height, ResizePolicy policy, string path)
    {
        if ((imageWidth != width || imageHeight != height) && policy == ResizePolicy.Error)
            throw new InvalidDataException($"Image '{path}' is {imageWidth}×{imageHeight}; the dataset's size is {width}×{height} (ResizePolicy.Error).");
    }
}
