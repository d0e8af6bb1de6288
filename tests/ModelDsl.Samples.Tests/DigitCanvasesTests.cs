using DigitCanvases;
using Xunit;

namespace ModelDsl.Samples.Tests;

/// <summary>The digit-canvas command: a small dataset written and read back through the three readers.</summary>
public sealed class DigitCanvasesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("digit-canvases-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Writes_both_splits_and_every_reader_finds_every_canvas_and_box()
    {
        var stdout = new StringWriter();
        var splits = DigitCanvasesJob.Write(new DigitCanvasesSettings(_dir, Train: 40, Test: 20, Seed: 2), stdout);
        Assert.Equal(["train", "test"], splits.Select(s => s.Name));
        foreach (var s in splits)
        {
            Assert.Equal((s.Canvases, s.Canvases, s.Canvases), (s.Segmentation, s.Yolo, s.Coco));
            Assert.Equal(s.Digits, s.YoloBoxes);
            Assert.Equal(s.Digits, s.CocoBoxes);
            Assert.InRange(s.Digits, s.Canvases, 5 * s.Canvases);
        }
        Assert.Equal((40, 20), (splits[0].Canvases, splits[1].Canvases));
        Assert.Contains("train: 40 canvases", stdout.ToString());
        Assert.True(File.Exists(Path.Combine(_dir, "test", "annotations.json")));
        foreach (var preview in new[] { "preview-segmentation.png", "preview-detection.png" })
            using (var bmp = SkiaSharp.SKBitmap.Decode(Path.Combine(_dir, preview)))
                Assert.True(bmp is { Width: > 64, Height: > 64 }, preview);
        var stderr = new StringWriter();
        Assert.Equal(2, DigitCanvasesJob.Run(new DigitCanvasesSettings(_dir, Train: 0), new StringWriter(), stderr));
        Assert.Contains("at least 1", stderr.ToString());
    }
}
