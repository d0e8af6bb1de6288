using TorchSharp;

namespace ModelDsl.Data;

/// <summary>
/// Segmentation data as Pascal VOC keeps it: <c>root/images/x.jpg</c> and <c>root/masks/x.png</c> (same
/// relative path and stem), each mask a PNG of class indices — indexed (palette) or 8-bit gray — with
/// <see cref="IgnoreIndex"/> (255) for pixels without a class. Files are listed when the dataset is
/// built (every image must have its mask); pixels are decoded in <see cref="Get"/>, so memory holds only
/// paths. A mask whose size differs from its image's, or that holds a value that is neither a class nor
/// the ignore index, is an error naming the file.
/// </summary>
public sealed class SegmentationFolderDataset : ISegmentationDataset
{
    public const int DefaultIgnoreIndex = 255;

    private readonly (string Image, string Mask)[] _samples;
    private readonly string[] _classes;
    private readonly DenseDatasetOptions _options;
    private readonly IImageDecoder _decoder;

    /// <param name="root">The folder holding <c>images/</c> and <c>masks/</c>.</param>
    /// <param name="classNames">Class i is mask value i; their count bounds the valid values.</param>
    /// <param name="options">Channels, sample size and resize policy of the images.</param>
    /// <param name="ignoreIndex">The mask value of unlabelled pixels (kept as is in the targets).</param>
    public SegmentationFolderDataset(string root, IReadOnlyList<string> classNames, DenseDatasetOptions? options = null, int ignoreIndex = DefaultIgnoreIndex)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count is < 1 or > 255) throw new ArgumentException($"A segmentation dataset has 1..255 classes (mask values are bytes); got {classNames.Count}.", nameof(classNames));
        if (ignoreIndex is >= 0 and < 256 && ignoreIndex < classNames.Count)
            throw new ArgumentException($"The ignore index {ignoreIndex} collides with class {ignoreIndex} ('{classNames[ignoreIndex]}').", nameof(ignoreIndex));
        _options = options ?? new DenseDatasetOptions();
        _options.Check();
        _decoder = _options.Decoder ?? ImageDecoders.Default;
        _classes = classNames.ToArray();
        IgnoreIndex = ignoreIndex;
        Root = root;
        string imagesDir = Path.Combine(root, "images"), masksDir = Path.Combine(root, "masks");
        if (!Directory.Exists(masksDir)) throw new DirectoryNotFoundException($"Segmentation folder '{root}' has no 'masks' folder (expected {Path.Combine(masksDir, "<stem>.png")} for every image).");
        var images = DenseImages.List(imagesDir, $"Segmentation folder '{root}'");
        var samples = new List<(string, string)>();
        var missing = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var image in images)
        {
            var mask = Path.ChangeExtension(Path.Combine(masksDir, Path.GetRelativePath(imagesDir, image)), ".png");
            if (File.Exists(mask)) { samples.Add((image, mask)); used.Add(Path.GetFullPath(mask)); }
            else missing.Add(image);
        }
        if (missing.Count > 0)
            throw new InvalidDataException(
                $"Segmentation folder '{root}': {missing.Count} image(s) without a mask, e.g. '{missing[0]}' (expected " +
                $"'{Path.ChangeExtension(Path.Combine(masksDir, Path.GetRelativePath(imagesDir, missing[0])), ".png")}').");
        _samples = samples.ToArray();
        UnusedMasks = Directory.EnumerateFiles(masksDir, "*.png", SearchOption.AllDirectories).Count(m => !used.Contains(Path.GetFullPath(m)));
        Channels = _options.Channels;
        if (_options.Height is int h && _options.Width is int w) (Height, Width) = (h, w);
        else
        {
            var (fw, fh) = ImageSize.Read(_samples[0].Image);
            (Height, Width) = (_options.Height ?? fh, _options.Width ?? fw);
        }
    }

    public string Root { get; }
    public int Count => _samples.Length;
    public IReadOnlyList<string> ClassNames => _classes;
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int IgnoreIndex { get; }
    /// <summary>Masks with no image of the same stem (ignored).</summary>
    public int UnusedMasks { get; }

    /// <summary>The image and mask files of sample <paramref name="index"/>.</summary>
    public (string Image, string Mask) Sample(int index) => _samples[index];

    public (torch.Tensor Image, torch.Tensor Mask) Get(int index)
    {
        if ((uint)index >= (uint)_samples.Length) throw new ArgumentOutOfRangeException(nameof(index), index, $"Dataset has {Count} samples.");
        var (imagePath, maskPath) = _samples[index];
        var img = DenseImages.Decode(imagePath, _decoder, Channels);
        var (indices, mw, mh) = MaskPng.Read(maskPath);
        if (mw != img.Width || mh != img.Height)
            throw new InvalidDataException($"Mask '{maskPath}' is {mw}×{mh} but its image '{imagePath}' is {img.Width}×{img.Height}; a mask labels every pixel of its image.");
        CheckValues(indices, mw, maskPath);
        var image = DenseImages.ToTensor(img, Height, Width, _options.Resize, imagePath);
        try { return (image, DenseImages.MaskToTensor(indices, mw, mh, Height, Width)); }
        catch { image.Dispose(); throw; }
    }

    private void CheckValues(byte[] indices, int width, string maskPath)
    {
        for (int i = 0; i < indices.Length; i++)
        {
            int v = indices[i];
            if (v >= _classes.Length && v != IgnoreIndex)
                throw new InvalidDataException(
                    $"Mask '{maskPath}': pixel (x {i % width}, y {i / width}) has value {v}, which is neither a class (0..{_classes.Length - 1}) nor the ignore index {IgnoreIndex}.");
        }
    }
}
