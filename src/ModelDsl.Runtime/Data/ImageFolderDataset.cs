using ModelDsl.Platform;
using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Data;

/// <summary>What <see cref="ImageFolderDataset"/> does when an image's size differs from the dataset's.</summary>
public enum ResizePolicy
{
    /// <summary>Resize (bilinear, aspect not kept) to the dataset's Height×Width.</summary>
    Stretch,
    /// <summary>Scale the shorter side to fit, then take the centre Height×Width crop (aspect kept).</summary>
    ResizeShorterThenCenterCrop,
    /// <summary>Throw, naming the file and both sizes.</summary>
    Error,
}

/// <summary>What <see cref="ImageFolderDataset"/> does with an image that cannot be decoded.</summary>
public enum CorruptImagePolicy
{
    /// <summary>Throw from <see cref="ImageFolderDataset.Get"/>, naming the file (default; decoding stays lazy).</summary>
    Throw,
    /// <summary>
    /// Decode every file once when the dataset is built (in parallel), drop the ones that fail and count
    /// them in <see cref="ImageFolderDataset.SkippedCount"/>. Done eagerly so that Count and indices stay
    /// stable afterwards; costs one decoding pass up front.
    /// </summary>
    Skip,
}

/// <summary>Options for <see cref="ImageFolderDataset"/>.</summary>
public sealed record ImageFolderOptions
{
    /// <summary>Channels of every sample: 1 (gray), 3 (RGB) or 4 (RGBA). Sources are converted.</summary>
    public int Channels { get; init; } = 3;
    /// <summary>Sample size; null = the size of the first image (in sorted order).</summary>
    public int? Height { get; init; }
    public int? Width { get; init; }
    public ResizePolicy Resize { get; init; } = ResizePolicy.Stretch;
    public CorruptImagePolicy OnCorrupt { get; init; } = CorruptImagePolicy.Throw;
    /// <summary>Allow class folders without images (they keep their index). Default: an empty class folder is an error.</summary>
    public bool AllowEmptyClasses { get; init; }
    public IImageDecoder? Decoder { get; init; }
}

/// <summary>
/// Images in one folder per class (<c>root/cat/001.png</c>, <c>root/dog/x.jpg</c>, …), as torchvision's
/// ImageFolder. Class folders sorted ordinally give <see cref="ClassToIndex"/>. PNG, JPEG and BMP are
/// decoded (by <see cref="ImageDecoders.Default"/>); other files are ignored and counted in
/// <see cref="UnsupportedCount"/>. Decoding happens in <see cref="Get"/>/<see cref="WriteSample"/>, so a
/// <see cref="DataLoader"/> with workers decodes on its worker threads and memory holds only file paths.
/// </summary>
public sealed class ImageFolderDataset : IDataset, ISampleWriter, IByteSampleWriter
{
    public static readonly IReadOnlySet<string> SupportedExtensions =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp" };

    private readonly (string Path, int Label)[] _samples;
    private readonly string[] _classes;
    private readonly IImageDecoder _decoder;
    private readonly ImageFolderOptions _options;

    public ImageFolderDataset(string root, ImageFolderOptions? options = null)
    {
        _options = options ??= new ImageFolderOptions();
        ImageDecoders.CheckChannels(options.Channels);
        _decoder = options.Decoder ?? ImageDecoders.Default;
        Root = root;
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"ImageFolder root not found: {root}");
        _classes = Directory.GetDirectories(root).Select(Path.GetFileName).Select(n => n!).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        if (_classes.Length == 0)
            throw new InvalidDataException($"ImageFolder '{root}' has no class folders; expected one sub-folder per class (e.g. {Path.Combine(root, "cat", "001.png")}).");
        ClassToIndex = _classes.Select((c, i) => (c, i)).ToDictionary(t => t.c, t => t.i, StringComparer.Ordinal);

        var samples = new List<(string, int)>();
        var empty = new List<string>();
        int unsupported = 0;
        for (int ci = 0; ci < _classes.Length; ci++)
        {
            var dir = Path.Combine(root, _classes[ci]);
            int before = samples.Count;
            foreach (var f in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
            {
                if (SupportedExtensions.Contains(Path.GetExtension(f))) samples.Add((f, ci));
                else unsupported++;
            }
            if (samples.Count == before) empty.Add(dir);
        }
        UnsupportedCount = unsupported;
        if (samples.Count == 0)
            throw new InvalidDataException(
                $"ImageFolder '{root}' contains no images: {_classes.Length} class folder(s), {unsupported} unsupported file(s); supported: {string.Join(", ", SupportedExtensions)}.");
        if (empty.Count > 0 && !options.AllowEmptyClasses)
            throw new InvalidDataException(
                $"ImageFolder '{root}': class folder(s) with no images: {string.Join(", ", empty.Select(d => $"'{d}'"))}. " +
                "Remove them or set ImageFolderOptions.AllowEmptyClasses.");

        if (options.OnCorrupt == CorruptImagePolicy.Skip)
        {
            var bad = new ConcurrentBag<int>();
            Parallel.For(0, samples.Count, i =>
            {
                try { _decoder.Decode(File.ReadAllBytes(samples[i].Item1), options.Channels); }
                catch (InvalidDataException) { bad.Add(i); }
            });
            var badSet = bad.ToHashSet();
            SkippedFiles = badSet.Order().Select(i => samples[i].Item1).ToArray();
            samples = samples.Where((_, i) => !badSet.Contains(i)).ToList();
            if (samples.Count == 0)
                throw new InvalidDataException($"ImageFolder '{root}': all {badSet.Count} images are corrupt.");
        }
        _samples = samples.ToArray();
        Channels = options.Channels;
        if (options.Height is int h && options.Width is int w)
        {
            Height = h;
            Width = w;
        }
        else
        {
            var first = DecodeFile(_samples[0].Path);
            Height = options.Height ?? first.Height;
            Width = options.Width ?? first.Width;
        }
    }

    public string Root { get; }
    public int Count => _samples.Length;
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public IReadOnlyList<string> ClassNames => _classes;
    public IReadOnlyDictionary<string, int> ClassToIndex { get; }
    /// <summary>Files ignored because their extension is not PNG/JPEG/BMP.</summary>
    public int UnsupportedCount { get; }
    /// <summary>Corrupt images dropped under <see cref="CorruptImagePolicy.Skip"/>.</summary>
    public int SkippedCount => SkippedFiles.Count;
    public IReadOnlyList<string> SkippedFiles { get; } = [];
    public IImageDecoder Decoder => _decoder;

    /// <summary>The file and label of sample <paramref name="index"/>.</summary>
    public (string Path, int Label) Sample(int index) => _samples[index];

    public (Tensor Image, long Label) Get(int index)
    {
        var buf = new float[Channels * Height * Width];
        long label = WriteSample(index, buf);
        return (torch.tensor(buf, new long[] { Channels, Height, Width }), label);
    }

    public long WriteSample(int index, Span<float> destination)
    {
        var (img, label) = DecodeSample(index, destination.Length, "floats");
        int plane = Height * Width;
        if (img.Width == Width && img.Height == Height)
        {
            // Interleaved HWC bytes → planar CHW floats in [0,1], in one pass.
            const float inv = 1f / 255f;
            var px = img.Pixels;
            for (int c = 0; c < Channels; c++)
            {
                var dst = destination.Slice(c * plane, plane);
                for (int i = 0, s = c; i < plane; i++, s += Channels) dst[i] = px[s] * inv;
            }
            return label;
        }
        Resize(img, destination);
        return label;
    }

    public long WriteSampleBytes(int index, Span<byte> destination)
    {
        var (img, label) = DecodeSample(index, destination.Length, "bytes");
        int plane = Height * Width;
        if (img.Width == Width && img.Height == Height)
        {
            var px = img.Pixels;
            for (int c = 0; c < Channels; c++)
            {
                var dst = destination.Slice(c * plane, plane);
                for (int i = 0, s = c; i < plane; i++, s += Channels) dst[i] = px[s];
            }
            return label;
        }
        // Resized images go through the float path and are rounded back to bytes (as PIL's resize yields bytes).
        var tmp = new float[Channels * plane];
        Resize(img, tmp);
        for (int i = 0; i < tmp.Length; i++) destination[i] = (byte)Math.Clamp(MathF.Round(tmp[i] * 255f), 0, 255);
        return label;
    }

    /// <summary>
    /// Decodes sample <paramref name="index"/> after checking the index and the destination's size; an image of
    /// another size comes back only when the dataset may resize it.
    /// </summary>
    private (DecodedImage Image, long Label) DecodeSample(int index, int destinationLength, string unit)
    {
        if ((uint)index >= (uint)_samples.Length)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Dataset has {Count} samples.");
        int size = Channels * Height * Width;
        if (destinationLength < size)
            throw new ArgumentException($"Destination holds {destinationLength} {unit}; a sample needs {size}.");
        var (path, label) = _samples[index];
        var img = DecodeFile(path);
        if ((img.Width != Width || img.Height != Height) && _options.Resize == ResizePolicy.Error)
            throw new InvalidDataException($"Image '{path}' is {img.Width}×{img.Height}; the dataset's size is {Width}×{Height} (ResizePolicy.Error).");
        return (img, label);
    }

    private DecodedImage DecodeFile(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (IOException e) { throw new IOException($"Cannot read image '{path}': {e.Message}", e); }
        try { return _decoder.Decode(bytes, Channels); }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"Corrupt or unsupported image '{path}' ({bytes.Length} bytes): {e.Message}. " +
                                           "Use ImageFolderOptions.OnCorrupt = CorruptImagePolicy.Skip to skip such files.", e);
        }
    }

    /// <summary>Resizes with libtorch's bilinear interpolation (antialiased when shrinking), like torchvision's Resize on tensors.</summary>
    private void Resize(DecodedImage img, Span<float> destination)
    {
        using var scope = NewDisposeScope();
        var x = torch.tensor(img.Pixels, new long[] { img.Height, img.Width, Channels }, ScalarType.Byte)
            .permute(2, 0, 1).unsqueeze(0).to_type(ScalarType.Float32).div_(KeptScalars.Constant(255.0));
        long th = Height, tw = Width;
        if (_options.Resize == ResizePolicy.ResizeShorterThenCenterCrop)
        {
            double s = Math.Max((double)Height / img.Height, (double)Width / img.Width);
            th = Math.Max(Height, (long)Math.Round(img.Height * s));
            tw = Math.Max(Width, (long)Math.Round(img.Width * s));
        }
        bool shrink = th < img.Height || tw < img.Width;
        var y = nn.functional.interpolate(x, new long[] { th, tw }, mode: InterpolationMode.Bilinear, align_corners: false, antialias: shrink);
        if (th != Height || tw != Width)
        {
            long top = (th - Height) / 2, left = (tw - Width) / 2;
            y = y[.., .., TensorIndex.Slice(top, top + Height), TensorIndex.Slice(left, left + Width)];
        }
        y = y.clamp_(KeptScalars.Constant(0.0), KeptScalars.Constant(1.0)).contiguous();
        y.data<float>().ToArray().AsSpan().CopyTo(destination);
    }
}
