using System.Runtime.InteropServices;
using SkiaSharp;

namespace ModelDsl.Data;

/// <summary>Options of <see cref="DigitCanvases"/>.</summary>
public sealed record DigitCanvasOptions
{
    /// <summary>Canvas side in pixels (square canvases).</summary>
    public int Size { get; init; } = 64;
    public int MinDigits { get; init; } = 1;
    public int MaxDigits { get; init; } = 5;
    /// <summary>A digit pixel is ink (in the mask and the box) when its value is above this (0.5·255).</summary>
    public int InkThreshold { get; init; } = 127;
    /// <summary>Random positions tried per digit before the canvas keeps the digits placed so far.</summary>
    public int PlacementTries { get; init; } = 50;
}

/// <summary>What <see cref="DigitCanvases.Write"/> produced for one split.</summary>
public sealed record DigitCanvasSplit(string Directory, IReadOnlyList<ImageBoxes> Canvases, int DigitsPlaced)
{
    public string ImagesDirectory => Path.Combine(Directory, "images");
    public string MasksDirectory => Path.Combine(Directory, "masks");
    public string LabelsDirectory => Path.Combine(Directory, "labels");
    public string CocoPath => Path.Combine(Directory, "annotations.json");
}

/// <summary>
/// A segmentation and detection dataset made of real digits: 1–5 MNIST digits placed on black square
/// canvases, written in the formats users' data comes in, so that it is read back by the same readers.
/// Per split folder: <c>images/00000.png</c> (8-bit gray), <c>masks/00000.png</c> (indexed PNG with the
/// VOC palette: 0 = background, digit d = d + 1, so 11 classes, <see cref="SegmentationClasses"/>),
/// <c>labels/00000.txt</c> (YOLO, class = the digit, <see cref="DetectionClasses"/>) and
/// <c>annotations.json</c> (COCO, the same boxes).
/// </summary>
/// <remarks>
/// Placement: the number of digits is uniform in MinDigits..MaxDigits; each digit is a random sample of
/// the source split, placed at a random position where its ink box lies inside the canvas and is at
/// least one pixel away from every ink box placed before; after <see cref="DigitCanvasOptions.PlacementTries"/>
/// failed positions the canvas keeps the digits it has (so a canvas may hold fewer than drawn; each holds
/// at least one, and <see cref="DigitCanvasSplit.DigitsPlaced"/> counts them). Boxes therefore never
/// overlap and every mask pixel has one owner. A digit's box is the bounding box of its ink pixels
/// (value &gt; InkThreshold), its mask those pixels; the image is the per-pixel maximum of the digits'
/// full 28×28 patches, so the faint anti-aliased rim stays in the image but outside box and mask.
/// Deterministic for a given source, count, seed and options.
/// </remarks>
public static class DigitCanvases
{
    public static IReadOnlyList<string> SegmentationClasses { get; } = ["background", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    public static IReadOnlyList<string> DetectionClasses { get; } = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>Writes <paramref name="count"/> canvases of digits from <paramref name="digits"/> into <paramref name="directory"/>.</summary>
    public static DigitCanvasSplit Write(string directory, MnistDataset digits, int count, int seed, DigitCanvasOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(digits);
        options ??= new DigitCanvasOptions();
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "Write at least one canvas.");
        if (options.MinDigits < 1 || options.MaxDigits < options.MinDigits)
            throw new ArgumentOutOfRangeException(nameof(options), $"Digits per canvas must satisfy 1 ≤ min ≤ max; got {options.MinDigits}..{options.MaxDigits}.");
        if (options.Size < digits.Height || options.Size < digits.Width)
            throw new ArgumentOutOfRangeException(nameof(options), $"A {options.Size}-pixel canvas cannot hold a {digits.Width}×{digits.Height} digit.");
        int side = options.Size, dh = digits.Height, dw = digits.Width;
        var pixels = digits.Images.contiguous().data<byte>().ToArray();
        var labels = digits.Labels.data<long>().ToArray();
        var split = new DigitCanvasSplit(directory, [], 0);
        Directory.CreateDirectory(split.ImagesDirectory);
        var palette = MaskPng.VocPalette();
        var random = new Random(seed);
        var canvases = new ImageBoxes[count];
        int placed = 0;
        for (int i = 0; i < count; i++)
        {
            var image = new byte[side * side];
            var mask = new byte[side * side];
            var boxes = new List<LabeledBox>();
            int want = random.Next(options.MinDigits, options.MaxDigits + 1);
            for (int k = 0; k < want; k++)
            {
                int d = random.Next(labels.Length);
                (int X1, int Y1, int X2, int Y2) ink;
                for (int redraw = 0; !InkBox(pixels.AsSpan(d * dh * dw, dh * dw), dw, dh, options.InkThreshold, out ink); redraw++)
                {
                    // A sample without ink has no box: draw another (a source of blank images is refused, not looped on).
                    if (redraw == 100) throw new InvalidDataException($"100 digits in a row without a pixel above {options.InkThreshold}; is the source blank?");
                    d = random.Next(labels.Length);
                }
                var patch = pixels.AsSpan(d * dh * dw, dh * dw);
                for (int attempt = 0; attempt < options.PlacementTries; attempt++)
                {
                    // Patch offset such that the ink box lies inside the canvas.
                    int ox = random.Next(-ink.X1, side - ink.X2 + 1), oy = random.Next(-ink.Y1, side - ink.Y2 + 1);
                    var box = new LabeledBox((int)labels[d], ink.X1 + ox, ink.Y1 + oy, ink.X2 + ox, ink.Y2 + oy);
                    if (boxes.Any(b => b.X1 - 1 < box.X2 && box.X1 - 1 < b.X2 && b.Y1 - 1 < box.Y2 && box.Y1 - 1 < b.Y2)) continue;
                    Paste(patch, dw, dh, ox, oy, side, image, mask, (byte)(labels[d] + 1), options.InkThreshold);
                    boxes.Add(box);
                    break;
                }
                if (boxes.Count == k) break; // no room found: keep what is placed
            }
            placed += boxes.Count;
            string stem = i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
            var imagePath = Path.Combine(split.ImagesDirectory, stem + ".png");
            WriteGrayPng(imagePath, image, side);
            MaskPng.Write(Path.Combine(split.MasksDirectory, stem + ".png"), mask, side, side, palette);
            YoloLabels.Write(Path.Combine(split.LabelsDirectory, stem + ".txt"), boxes, side, side);
            canvases[i] = new ImageBoxes(imagePath, side, side, boxes);
        }
        CocoDetections.Write(split.CocoPath, DetectionClasses, canvases, split.ImagesDirectory);
        return split with { Canvases = canvases, DigitsPlaced = placed };
    }

    /// <summary>
    /// Writes <c>root/train</c> from the bundled MNIST train split with <paramref name="seed"/> and <c>root/test</c>
    /// from its test split with seed + 1, so test canvases hold only digits the training canvases never show.
    /// </summary>
    public static (DigitCanvasSplit Train, DigitCanvasSplit Test) WriteBundled(string root, int trainCount, int testCount, int seed, DigitCanvasOptions? options = null)
    {
        using var train = BundledData.LoadMnist(train: true);
        using var test = BundledData.LoadMnist(train: false);
        return (Write(Path.Combine(root, "train"), train, trainCount, seed, options),
                Write(Path.Combine(root, "test"), test, testCount, unchecked(seed + 1), options));
    }

    /// <summary>
    /// The samples' "write on first use": <c>root/train</c> and <c>root/test</c> as <see cref="WriteBundled"/> writes
    /// them, unless both are already complete (each split's annotations.json is written last, so a run interrupted
    /// mid-write is written again). Says on <paramref name="log"/> which it did. Returns the two folders.
    /// </summary>
    public static (string Train, string Test) WriteBundledUnlessPresent(string root, int trainCount, int testCount, int seed, TextWriter? log = null)
    {
        root = Path.GetFullPath(root);
        string train = Path.Combine(root, "train"), test = Path.Combine(root, "test");
        if (File.Exists(Path.Combine(train, "annotations.json")) && File.Exists(Path.Combine(test, "annotations.json")))
        {
            log?.WriteLine($"reading the canvases in {root}");
            return (train, test);
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        WriteBundled(root, trainCount, testCount, seed);
        log?.WriteLine($"wrote {trainCount} train and {testCount} test digit canvases to {root} in {clock.Elapsed.TotalSeconds:F1} s");
        return (train, test);
    }

    private static bool InkBox(ReadOnlySpan<byte> patch, int w, int h, int threshold, out (int X1, int Y1, int X2, int Y2) box)
    {
        int x1 = w, y1 = h, x2 = -1, y2 = -1;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if (patch[y * w + x] > threshold)
                {
                    x1 = Math.Min(x1, x); x2 = Math.Max(x2, x);
                    y1 = Math.Min(y1, y); y2 = Math.Max(y2, y);
                }
        box = (x1, y1, x2 + 1, y2 + 1);
        return x2 >= 0;
    }

    private static void Paste(ReadOnlySpan<byte> patch, int w, int h, int ox, int oy, int side, byte[] image, byte[] mask, byte cls, int threshold)
    {
        for (int y = 0; y < h; y++)
        {
            int cy = y + oy;
            if ((uint)cy >= (uint)side) continue;
            for (int x = 0; x < w; x++)
            {
                int cx = x + ox;
                if ((uint)cx >= (uint)side) continue;
                byte v = patch[y * w + x];
                int k = cy * side + cx;
                if (v > image[k]) image[k] = v;
                if (v > threshold) mask[k] = cls;
            }
        }
    }

    /// <summary>An ordinary 8-bit gray PNG through SkiaSharp's encoder, as any image tool would write it.</summary>
    private static void WriteGrayPng(string path, byte[] gray, int side)
    {
        using var bmp = new SKBitmap(new SKImageInfo(side, side, SKColorType.Gray8, SKAlphaType.Opaque));
        Marshal.Copy(gray, 0, bmp.GetPixels(), gray.Length);
        using var data = bmp.Encode(SKEncodedImageFormat.Png, 100);
        using var fs = File.Create(path);
        data.SaveTo(fs);
    }
}
