using ModelDsl.Data;
using SkiaSharp;
using Xunit;

namespace ModelDsl.Runtime.Tests.Data;

/// <summary>The survey on real PNG/JPEG/BMP files: sizes from the headers, gray from headers or pixels.</summary>
public class ImageSurveyTests
{
    private static string Write(TempDir dir, string name, SKBitmap bitmap, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        string path = dir.Sub(name);
        DataTestFiles.WriteEncoded(path, bitmap, format);
        bitmap.Dispose();
        return path;
    }

    /// <summary>An RGBA bitmap whose every pixel is (v, v, v) or, with <paramref name="tint"/>, (v + tint, v, v).</summary>
    private static SKBitmap Rgb(int w, int h, int tint = 0)
    {
        var bmp = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                byte v = (byte)(7 * x + 3 * y);
                bmp.SetPixel(x, y, new SKColor((byte)Math.Min(255, v + tint), v, v));
            }
        return bmp;
    }

    [Fact]
    public void Medians_and_extremes_come_from_the_headers_and_gray_headers_need_no_decoding()
    {
        using var dir = new TempDir();
        var files = new[] { (8, 8), (10, 6), (12, 30), (8, 9), (40, 8) }
            .Select((s, i) => Write(dir, $"g{i}.png", DataTestFiles.Pattern(s.Item1, s.Item2, gray: true))).ToList();

        var survey = ImageSurvey.Scan(files);

        Assert.Equal(5, survey.Files);
        Assert.Equal(10, survey.MedianWidth);   // 8 8 10 12 40
        Assert.Equal(8, survey.MedianHeight);   // 6 8 8 9 30
        Assert.Equal((6, 40), (survey.MinSide, survey.MaxSide));
        Assert.Equal(5, survey.GrayHeaders);
        Assert.Equal(0, survey.PixelChecked);
        Assert.True(survey.AllGray);
    }

    [Fact]
    public void Colour_headers_holding_gray_pixels_count_as_gray_but_one_coloured_image_makes_the_folder_colour()
    {
        using var dir = new TempDir();
        var grayAsRgb = new List<string>
        {
            Write(dir, "rgb_gray.png", Rgb(16, 12)),
            Write(dir, "rgb_gray.jpg", Rgb(16, 12), SKEncodedImageFormat.Jpeg),   // JPEG chroma noise stays within the tolerance
            Write(dir, "gray.png", DataTestFiles.Pattern(16, 12, gray: true)),
        };
        DataTestFiles.WriteBmp24(dir.Sub("rgb_gray.bmp"), 16, 12, (x, y) => ((byte)(9 * x), (byte)(9 * x), (byte)(9 * x)));
        grayAsRgb.Add(dir.Sub("rgb_gray.bmp"));

        var gray = ImageSurvey.Scan(grayAsRgb);
        Assert.True(gray.AllGray, gray.ColourFile);
        Assert.Equal((1, 3, 0), (gray.GrayHeaders, gray.PixelChecked, gray.Unchecked));

        // A red cast of more than the tolerance on one image of the folder: colour, and the survey names it.
        string tinted = Write(dir, "tinted.png", Rgb(16, 12, tint: ImageSurvey.GrayTolerance + 5));
        var colour = ImageSurvey.Scan([.. grayAsRgb, tinted]);
        Assert.False(colour.AllGray);
        Assert.Equal(tinted, colour.ColourFile);
    }

    [Fact]
    public void Pixel_checks_are_capped_and_the_unchecked_files_are_counted()
    {
        using var dir = new TempDir();
        var files = Enumerable.Range(0, 6).Select(i => Write(dir, $"rgb{i}.png", Rgb(4, 4))).ToList();

        var survey = ImageSurvey.Scan(files, maxPixelChecks: 2);

        Assert.True(survey.AllGray);
        Assert.Equal((2, 4), (survey.PixelChecked, survey.Unchecked));
    }

    [Fact]
    public void A_file_that_is_not_an_image_is_named_in_the_error()
    {
        using var dir = new TempDir();
        string bad = dir.Sub("broken.png");
        File.WriteAllBytes(bad, [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3]);

        var e = Assert.Throws<InvalidDataException>(() => ImageSurvey.Scan([bad]));
        Assert.Contains(bad, e.Message);
    }
}
