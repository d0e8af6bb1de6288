using System.Collections.Concurrent;
using SkiaSharp;
using StbImageSharp;

namespace ModelDsl.Data;

/// <summary>
/// What a set of image files looks like, found cheaply: every file's header (size and colour type), and
/// pixels only where the header cannot tell. Lets a job choose its input channels and size from the data
/// instead of assuming them.
/// </summary>
/// <param name="Files">Files surveyed.</param>
/// <param name="MedianWidth">Median width over all files (the typical size, robust to a few outliers).</param>
/// <param name="MedianHeight">Median height over all files.</param>
/// <param name="MinSide">Smallest width or height of any file.</param>
/// <param name="MaxSide">Largest width or height of any file.</param>
/// <param name="GrayHeaders">Files whose header declares a gray image (gray or gray+alpha).</param>
/// <param name="PixelChecked">Files with a colour header whose pixels were decoded to see whether they are gray after all.</param>
/// <param name="ColourFile">The first file found with colour pixels, or null when every checked image is gray.</param>
public sealed record ImageSurvey(int Files, int MedianWidth, int MedianHeight, int MinSide, int MaxSide, int GrayHeaders, int PixelChecked, string? ColourFile)
{
    /// <summary>Largest difference between R, G and B still counted as gray: JPEG chroma noise on a gray scan is a few levels.</summary>
    public const int GrayTolerance = 3;

    /// <summary>True when no surveyed image has colour: all headers say gray, or every colour-header file checked has R≈G≈B.</summary>
    public bool AllGray => ColourFile is null;

    /// <summary>Files with a colour header whose pixels were not checked (beyond <c>maxPixelChecks</c>); 0 means the answer covers every file.</summary>
    public int Unchecked => Files - GrayHeaders - PixelChecked;

    /// <summary>
    /// Surveys <paramref name="files"/>. Headers are read for every file (a few hundred bytes each, in
    /// parallel). Files whose header says colour are decoded with <paramref name="decoder"/> — at most
    /// <paramref name="maxPixelChecks"/> of them, spread evenly over the list — and the survey stops at the
    /// first with colour pixels: a colour folder costs one decode, a gray folder saved as RGB a bounded pass.
    /// </summary>
    public static ImageSurvey Scan(IReadOnlyList<string> files, IImageDecoder? decoder = null, int maxPixelChecks = 1000)
    {
        if (files.Count == 0) throw new ArgumentException("ImageSurvey: no files to survey.", nameof(files));
        decoder ??= ImageDecoders.Default;
        var widths = new int[files.Count];
        var heights = new int[files.Count];
        var gray = new bool[files.Count];
        RunUnwrapped(() => Parallel.For(0, files.Count, i => (widths[i], heights[i], gray[i]) = ReadHeader(files[i])));

        var colourHeaders = Enumerable.Range(0, files.Count).Where(i => !gray[i]).ToArray();
        var toCheck = colourHeaders.Length <= maxPixelChecks
            ? colourHeaders
            : Enumerable.Range(0, maxPixelChecks).Select(k => colourHeaders[(int)((long)k * colourHeaders.Length / maxPixelChecks)]).ToArray();
        var colour = new ConcurrentBag<int>();
        int isChecked = 0;
        RunUnwrapped(() => Parallel.For(0, toCheck.Length, (k, state) =>
        {
            string path = files[toCheck[k]];
            DecodedImage image;
            try { image = decoder.Decode(File.ReadAllBytes(path), 3); }
            catch (InvalidDataException e) { throw new InvalidDataException($"Corrupt or unsupported image '{path}': {e.Message}", e); }
            Interlocked.Increment(ref isChecked);
            if (!IsGray(image.Pixels)) { colour.Add(toCheck[k]); state.Stop(); }
        }));

        return new ImageSurvey(files.Count, Median(widths), Median(heights), Math.Min(widths.Min(), heights.Min()), Math.Max(widths.Max(), heights.Max()),
            gray.Count(g => g), isChecked, colour.IsEmpty ? null : files[colour.Min()]);
    }

    /// <summary>Runs a parallel loop and rethrows the first failure as itself (a file's clear message), not wrapped in an AggregateException.</summary>
    private static void RunUnwrapped(Action loop)
    {
        try { loop(); }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    private static (int Width, int Height, bool Gray) ReadHeader(string path)
    {
        try
        {
            // StbImageSharp reads PNG/JPEG/BMP headers in managed code, with no native codec set up per file;
            // what it cannot read (another format, a damaged header) goes to SkiaSharp, which names the problem.
            if (StbHeader(path) is { } info)
                return (info.Width, info.Height, info.ColorComponents is ColorComponents.Grey or ColorComponents.GreyAlpha);
            using var codec = SKCodec.Create(path)
                ?? throw new InvalidDataException("not a recognised image (no decoder could read its header)");
            return (codec.Info.Width, codec.Info.Height, codec.Info.ColorType == SKColorType.Gray8);
        }
        catch (IOException e) { throw new IOException($"Cannot read image '{path}': {e.Message}", e); }
        catch (InvalidDataException e) { throw new InvalidDataException($"Corrupt or unsupported image '{path}': {e.Message}", e); }
    }

    private static ImageInfo? StbHeader(string path)
    {
        using var stream = File.OpenRead(path);
        try { return ImageInfo.FromStream(stream); }
        catch (Exception e) when (e is not (IOException or OutOfMemoryException)) { return null; }
    }

    private static bool IsGray(byte[] rgb)
    {
        for (int i = 0; i + 2 < rgb.Length; i += 3)
        {
            int r = rgb[i], g = rgb[i + 1], b = rgb[i + 2];
            if (Math.Abs(r - g) > GrayTolerance || Math.Abs(g - b) > GrayTolerance || Math.Abs(r - b) > GrayTolerance) return false;
        }
        return true;
    }

    private static int Median(int[] values)
    {
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid] + 1) / 2;
    }
}
