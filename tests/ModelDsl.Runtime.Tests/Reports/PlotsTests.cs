using ModelDsl.Metrics;
using ModelDsl.Reports;
using SkiaSharp;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Reports;

public sealed class PlotsTests : IDisposable
{
    // Set MODELDSL_PLOT_DIR to keep the PNGs for a look (e.g. as CI artifacts); otherwise a temp folder is removed.
    private static readonly string? KeepDir = Environment.GetEnvironmentVariable("MODELDSL_PLOT_DIR");
    private readonly string _dir = KeepDir ?? Path.Combine(Path.GetTempPath(), "modeldsl-plots-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (KeepDir is null)
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string P(string name) => Path.Combine(_dir, "sub", name);

    private static readonly byte[] PngSignature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    /// <summary>Checks the PNG signature, decodes it and returns the bitmap (caller disposes).</summary>
    private static SKBitmap ReadPng(string path)
    {
        Assert.True(File.Exists(path), path);
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > PngSignature.Length);
        Assert.Equal(PngSignature, bytes[..8]);
        var bmp = SKBitmap.Decode(bytes);
        Assert.NotNull(bmp);
        Assert.True(bmp.Width > 0 && bmp.Height > 0);
        return bmp;
    }

    private static int DistinctColors(SKBitmap b) => b.Pixels.Distinct().Count();

    private static int Count(SKBitmap b, Func<SKColor, bool> pred) => b.Pixels.Count(pred);

    private static bool NonWhite(SKColor c) => c.Red < 200 || c.Green < 200 || c.Blue < 200;

    [Fact]
    public void Loss_curves_png()
    {
        var hist = new List<(int, double, double)> { (1, 1.2, 1.0), (2, 0.7, 0.8), (3, 0.4, 0.6), (4, 0.3, double.NaN) };
        var path = Plots.LossCurves(hist, P("loss.png"), 640, 400);
        using var bmp = ReadPng(path);
        Assert.Equal(640, bmp.Width);
        Assert.Equal(400, bmp.Height);
        Assert.True(DistinctColors(bmp) > 10);
        Assert.Throws<ArgumentException>(() => Plots.LossCurves(Array.Empty<EpochLosses>(), P("x.png")));
    }

    [Fact]
    public void Lr_finder_png_with_log_axis_and_suggestion()
    {
        var lrs = Enumerable.Range(0, 60).Select(i => 1e-6 * Math.Pow(10, i / 10.0)).ToArray();
        var losses = lrs.Select((lr, i) => i < 45 ? 2.3 - i * 0.04 : double.PositiveInfinity).ToArray();
        using var bmp = ReadPng(Plots.LrFinder(lrs, losses, P("lr.png"), suggested: 1e-3));
        // The dashed suggestion line is red.
        Assert.True(Count(bmp, c => c.Red > 180 && c.Green < 80 && c.Blue < 80) > 20);
        Assert.Throws<ArgumentException>(() => Plots.LrFinder(lrs, losses[..5], P("bad.png")));
    }

    [Fact]
    public void Confusion_matrix_heatmap_png_is_not_blank()
    {
        var m = new long[,] { { 50, 2, 0 }, { 5, 40, 5 }, { 0, 1, 60 } };
        var path = Plots.ConfusionMatrix(m, new[] { "cat", "dog", "bird" }, P("cm.png"));
        using var bmp = ReadPng(path);
        // The diagonal cells are dark blue: plenty of strongly blue pixels, and text/labels in black.
        int blue = Count(bmp, c => c.Blue > 100 && c.Red < 80 && c.Green < 140);
        Assert.True(blue > bmp.Width * bmp.Height / 20, $"only {blue} blue pixels");
        Assert.True(DistinctColors(bmp) > 20);
        Assert.Throws<ArgumentException>(() => Plots.ConfusionMatrix(m, new[] { "a", "b" }, P("bad.png")));
    }

    [Fact]
    public void Roc_png_from_streaming_curve()
    {
        using var roc = new RocCurve(ClassificationTask.Multiclass, 3, fromLogits: true);
        using var g = new torch.Generator(1);
        var logits = randn(new long[] { 60, 3 }, generator: g);
        var t = logits.argmax(1); // a perfect classifier …
        t[0..10] = tensor(new long[] { 0, 1, 2, 0, 1, 2, 0, 1, 2, 0 }); // … with some noise
        roc.Update(logits, t);
        var path = Plots.Roc(roc, P("roc.png"), new[] { "a", "b", "c" });
        using var bmp = ReadPng(path);
        Assert.True(DistinctColors(bmp) > 10);
    }

    [Fact]
    public void Sample_batch_grid_with_captions()
    {
        // White images: every non-white pixel comes from the title and the captions (checks fonts render).
        var imgs = ones(6, 1, 28, 28);
        var path = Plots.SampleBatch(imgs, tensor(new long[] { 0, 1, 2, 0, 1, 2 }), new[] { "zero", "one", "two" }, P("batch.png"), cellSize: 64);
        using var bmp = ReadPng(path);
        Assert.True(Count(bmp, NonWhite) > 100, "captions did not render");

        // RGB, normalized images are min-max scaled.
        var rgb = randn(4, 3, 16, 16);
        using var bmp2 = ReadPng(Plots.SampleBatch(rgb, tensor(new long[] { 0, 1, 0, 1 }), null, P("rgb.png")));
        Assert.True(DistinctColors(bmp2) > 50);
        Assert.Throws<ArgumentException>(() => Plots.SampleBatch(rgb, tensor(new long[] { 0, 1 }), null, P("bad.png")));
        Assert.Throws<ArgumentException>(() => Plots.SampleBatch(randn(2, 5, 8, 8), tensor(new long[] { 0, 1 }), null, P("bad.png")));
    }

    [Fact]
    public void Top_losses_grid()
    {
        var imgs = rand(12, 1, 28, 28);
        var labels = tensor(new long[] { 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2 });
        var pred = tensor(new long[] { 0, 2, 2, 1, 1, 2, 0, 0, 2, 0, 1, 1 });
        var losses = tensor(new[] { .1f, 2.5f, .2f, 1.9f, .3f, .1f, .05f, 3.1f, .2f, .1f, .4f, 1.2f });
        var path = Plots.TopLosses(imgs, labels, pred, losses, new[] { "a", "b", "c" }, P("top.png"), k: 4);
        using var bmp = ReadPng(path);
        // 4 tiles → 2×2 grid; wrong predictions are captioned in red.
        Assert.True(Count(bmp, c => c.Red > 150 && c.Green < 90 && c.Blue < 90) > 20, "no red captions");
        Assert.Throws<ArgumentException>(() => Plots.TopLosses(imgs, labels, pred, losses[0..5], null, P("bad.png")));
    }

    [Fact]
    public void Conv_filters_and_feature_maps()
    {
        using var conv = nn.Conv2d(3, 8, 5);
        using var bmp = ReadPng(Plots.ConvFilters(conv.weight!, P("filters_rgb.png")));
        Assert.True(DistinctColors(bmp) > 20);
        using var conv2 = nn.Conv2d(8, 16, 3);
        using var bmp2 = ReadPng(Plots.ConvFilters(conv2.weight!, P("filters.png"), inputChannel: 2));
        Assert.True(DistinctColors(bmp2) > 10);
        Assert.Throws<ArgumentException>(() => Plots.ConvFilters(randn(3, 3), P("bad.png")));

        using var act = conv.forward(rand(1, 3, 20, 20));
        using var bmp3 = ReadPng(Plots.FeatureMaps(act, P("fmaps.png")));
        // Viridis: many greens/blues/yellows, far from a blank image.
        Assert.True(DistinctColors(bmp3) > 50);
        Assert.Throws<ArgumentException>(() => Plots.FeatureMaps(randn(2, 3, 4, 4), P("bad.png")));
    }

    /// <summary>A column right of the tiles that runs through a colour bar: over 100 colours top to bottom (a tile column has a few).</summary>
    private static bool HasColorBar(SKBitmap b)
        => Enumerable.Range(b.Width * 3 / 4, b.Width - b.Width * 3 / 4)
            .Any(x => Enumerable.Range(0, b.Height).Select(y => b.GetPixel(x, y)).Distinct().Count() > 100);

    [Fact]
    public void Filters_and_feature_maps_are_large_enough_to_read_with_a_colour_scale_and_the_layers_name()
    {
        using var conv = nn.Conv2d(1, 16, 3);
        using var filters = ReadPng(Plots.ConvFilters(conv.weight!, P("conv1.png"), layerName: "Conv1"));
        Assert.True(filters.Width >= 4 * 96 && filters.Height >= 4 * 96, $"{filters.Width}×{filters.Height}"); // 16 filters: 4×4 cells of 96 px
        Assert.True(HasColorBar(filters), "no colour bar beside the filters");
        // One diverging scale for all filters: the filter holding the largest |weight| reaches an end of the scale.
        Assert.Contains(filters.Pixels, c => c.Red < 80 && c.Blue > 120 || c.Blue < 80 && c.Red > 120);

        using var act = conv.forward(rand(1, 1, 12, 12));
        using var maps = ReadPng(Plots.FeatureMaps(act, P("maps.png"), layerName: "Conv1"));
        Assert.True(maps.Width >= 4 * 96, $"{maps.Width}×{maps.Height}");
        Assert.True(HasColorBar(maps), "no colour bar beside the feature maps");

        // The title names the layer: another name changes the title rows and nothing below them.
        using var renamed = ReadPng(Plots.FeatureMaps(act, P("maps-renamed.png"), layerName: "Features.Conv7"));
        Assert.Equal(maps.Width, renamed.Width);
        int titleRows = 24;
        bool Differs(int y0, int y1) => Enumerable.Range(y0, y1 - y0).Any(y => Enumerable.Range(0, maps.Width).Any(x => maps.GetPixel(x, y) != renamed.GetPixel(x, y)));
        Assert.True(Differs(0, titleRows), "the title does not change with the layer's name");
        Assert.False(Differs(titleRows + 20, maps.Height), "more than the title changed");
    }

    [Fact]
    public void Every_conv_layers_feature_maps_are_drawn_in_forward_order_named_after_the_layer()
    {
        using var model = new ModelDsl.Samples.LeNet5();
        using var digit = rand(1, 28, 28);
        var files = Plots.AllFeatureMaps(model, digit, P("all"));
        // LeNet-5's two convolutions, in its stage: 6×24×24 and 16×8×8, one PNG each, numbered in forward order.
        Assert.Equal(new[] { "01-Features.Conv1.png", "02-Features.Conv2.png" }, files.Select(Path.GetFileName));
        using var first = ReadPng(files[0]);
        using var second = ReadPng(files[1]);
        Assert.True(first.Width >= 3 * 96 && second.Width >= 4 * 96, $"{first.Width}, {second.Width}");
        Assert.True(HasColorBar(first) && HasColorBar(second));
        Assert.True(model.training); // a fresh model trains: its mode is restored after the eval-mode run
        // No hook is left behind: a second forward adds no picture, and a model without convolutions is refused.
        using (no_grad()) model.call(rand(1, 1, 28, 28)).Dispose();
        Assert.Equal(2, Directory.GetFiles(P("all")).Length);
        using var flat = nn.Sequential(nn.Flatten(), nn.Linear(4, 2));
        Assert.Throws<ArgumentException>(() => Plots.AllFeatureMaps(flat, rand(1, 2, 2), P("none")));
    }
}
