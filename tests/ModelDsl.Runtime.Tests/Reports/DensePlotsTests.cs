using ModelDsl.Data;
using ModelDsl.Metrics;
using ModelDsl.Reports;
using SkiaSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Reports;

public sealed class DensePlotsTests : IDisposable
{
    private static readonly string? KeepDir = Environment.GetEnvironmentVariable("MODELDSL_PLOT_DIR");
    private readonly string _dir = KeepDir ?? Path.Combine(Path.GetTempPath(), "modeldsl-dense-plots-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (KeepDir is null)
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string P(string name) => Path.Combine(_dir, name);

    private static SKBitmap ReadPng(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
        return SKBitmap.Decode(bytes) ?? throw new Xunit.Sdk.XunitException($"{path} does not decode");
    }

    /// <summary>Whether some pixel within ±1 px of (x, y) has exactly <paramref name="color"/> (a 2-px stroke sits on either side of its line).</summary>
    private static bool ColorNear(SKBitmap b, int x, int y, SKColor color)
    {
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++)
            {
                var p = b.GetPixel(x + dx, y + dy);
                if (p.Red == color.Red && p.Green == color.Green && p.Blue == color.Blue) return true;
            }
        return false;
    }

    // ImageGrid's layout for one caption line: pad 6, font = clamp(cell/8, 9, 14), caption ⌈1.5·font⌉, title ⌊2.2·font⌋.
    private static (int Width, int Height, int X0, int Y0) Layout(int cols, int rows, int cell, bool twoLines = false)
    {
        float font = Math.Clamp(cell / 8f, 9f, 14f);
        int caption = (int)Math.Ceiling(font * (twoLines ? 2.6f : 1.5f)), title = (int)(font * 2.2f);
        return (cols * (cell + 6) + 6, title + rows * (cell + caption + 6) + 6, 6, title + 6);
    }

    [Fact]
    public void Detection_grid_draws_true_and_predicted_boxes_in_their_colours()
    {
        using var images = full(new long[] { 2, 3, 32, 32 }, 0.5f);
        var truth = new IReadOnlyList<LabeledBox>[] { [new LabeledBox(0, 4, 4, 20, 20)], [] };
        var predicted = new IReadOnlyList<ScoredBox>[] { [new ScoredBox(new LabeledBox(2, 10, 12, 28, 30), 0.93), new ScoredBox(new LabeledBox(1, 1, 1, 3, 3), 0.01)], [] };
        var path = Plots.DetectionGrid(images, truth, predicted, P("det.png"), ["zero", "one", "two"], cellSize: 160, minScore: 0.1);
        using var bmp = ReadPng(path);
        var (width, height, x0, y0) = Layout(2, 1, 160);
        Assert.Equal((width, height), (bmp.Width, bmp.Height));
        const int s = 5;   // 32 px shown in a 160 px cell
        Assert.True(ColorNear(bmp, x0 + 4 * s, y0 + 12 * s, Plots.TruthBoxColor), "true box, left edge");
        Assert.True(ColorNear(bmp, x0 + 12 * s, y0 + 20 * s, Plots.TruthBoxColor), "true box, bottom edge");
        var two = Plots.PredictedBoxColor(2);
        Assert.True(ColorNear(bmp, x0 + 28 * s, y0 + 21 * s, two), "predicted box, right edge");
        Assert.True(ColorNear(bmp, x0 + 19 * s, y0 + 30 * s, two), "predicted box, bottom edge");
        Assert.True(ColorNear(bmp, x0 + 12 * s, y0 + 12 * s - 6, two), "the label's background above the predicted box");
        Assert.False(ColorNear(bmp, x0 + 2 * s, y0 + 2 * s, Plots.PredictedBoxColor(1)), "a box below minScore is not drawn");
        var inside = bmp.GetPixel(x0 + 24 * s, y0 + 25 * s);
        Assert.Equal((128, 128, 128), (inside.Red, inside.Green, inside.Blue));   // the image itself inside the box
        Assert.Throws<ArgumentException>(() => Plots.DetectionGrid(images, truth.Take(1).ToArray(), predicted, P("x.png")));
    }

    [Fact]
    public void Segmentation_grid_overlays_true_and_predicted_masks_in_class_colours()
    {
        using var images = zeros(1, 1, 16, 16);
        var t = new long[16 * 16];
        var p = new long[16 * 16];
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 16; x++)
            {
                t[y * 16 + x] = x < 8 ? 1 : 0;
                p[y * 16 + x] = y < 8 ? 2 : 0;
            }
        t[15 * 16 + 15] = 255;
        using var trueMask = tensor(t, [1, 16, 16]);
        // Predictions as N×K×H×W scores: the grid takes their argmax.
        using var scores = nn.functional.one_hot(tensor(p, [1, 16, 16]), 3).permute(0, 3, 1, 2).to_type(ScalarType.Float32);
        var path = Plots.SegmentationGrid(images, trueMask, scores, P("seg.png"), ["bg", "a", "b"], cellSize: 64, alpha: 0.5);
        using var bmp = ReadPng(path);
        var (width, height, x0, y0) = Layout(3, 1, 64, twoLines: true);
        Assert.Equal((width, height), (bmp.Width, bmp.Height));
        SKColor Half(SKColor c) => new((byte)Math.Round(c.Red * 0.5), (byte)Math.Round(c.Green * 0.5), (byte)Math.Round(c.Blue * 0.5));
        SKColor At(int tile, int x, int y) => bmp.GetPixel(x0 + tile * 70 + x * 4 + 2, y0 + y * 4 + 2);   // 16 px in 64: ×4; tiles 70 px apart
        Assert.Equal(Half(Plots.ClassColor(1)), At(1, 3, 12));      // true: class 1 on the left
        Assert.Equal(SKColors.Black, At(1, 12, 3));                 // background stays the (black) image
        Assert.Equal(Half(Plots.ClassColor(255)), At(1, 15, 15));   // the ignore index in its VOC colour
        Assert.Equal(Half(Plots.ClassColor(2)), At(2, 12, 3));      // predicted: class 2 on top
        Assert.Equal(SKColors.Black, At(2, 3, 12));
        Assert.Equal(SKColors.Black, At(0, 3, 12));                 // the plain image tile
        Assert.Throws<ArgumentException>(() => Plots.SegmentationGrid(images, trueMask.view(16, 16).narrow(0, 0, 8), trueMask, P("x.png")));
    }

    [Fact]
    public void Precision_recall_curves_png()
    {
        var curves = new[]
        {
            new PrecisionRecallCurve(0, [0, 0.5, 1], [1, 1, 0.5]),
            new PrecisionRecallCurve(2, [0, 0.25, 0.5, 0.75], [1, 0.8, 0.6, 0.3]),
        };
        var path = Plots.PrecisionRecall(curves, P("pr.png"), ["cat", "dog", "bird"], 640, 480);
        using var bmp = ReadPng(path);
        Assert.Equal((640, 480), (bmp.Width, bmp.Height));
        Assert.True(bmp.Pixels.Count(c => Math.Abs(c.Red - c.Green) > 60 || Math.Abs(c.Green - c.Blue) > 60) > 200, "coloured curve pixels");
        Assert.Throws<ArgumentException>(() => Plots.PrecisionRecall([new PrecisionRecallCurve(0, [0, 1], [1])], P("x.png")));
        Assert.Throws<ArgumentException>(() => Plots.PrecisionRecall([], P("x.png")));
    }
}
