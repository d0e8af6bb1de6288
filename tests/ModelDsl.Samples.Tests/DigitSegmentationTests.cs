using System.Text.Json;
using DigitSegmentation;
using Xunit;

namespace ModelDsl.Samples.Tests;

/// <summary>The segmentation sample end to end on a tiny dataset: canvases written, read back, one epoch, outputs sane.</summary>
public sealed class DigitSegmentationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("digit-segmentation-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void One_tiny_epoch_writes_metrics_json_and_the_grid()
    {
        var stdout = new StringWriter();
        var settings = new DigitSegmentationSettings(Path.Combine(_dir, "canvases"), Path.Combine(_dir, "out"), Train: 48, Test: 16, Epochs: 1, BatchSize: 16);
        var r = DigitSegmentationJob.Train(settings, stdout);

        Assert.True(File.Exists(Path.Combine(_dir, "canvases", "train", "masks", "00000.png")));
        Assert.Contains("48 train and 16 test canvases", stdout.ToString());
        // The course's SA is the per-class IoU; the accuracy column is another number and is not called SA.
        Assert.Contains("class       IoU=SA  accuracy", stdout.ToString());
        Assert.DoesNotContain("accuracy (SA)", stdout.ToString());
        Assert.Equal(11, r.PerClassIoU.Count);
        Assert.Equal(11, r.PerClassAccuracy.Count);
        Assert.InRange(r.MeanIoU, 0, 1);
        Assert.InRange(r.PixelAccuracy, 0, 1);
        Assert.InRange(r.Dice, 0, 1);
        // Every test canvas has background: its IoU and accuracy are defined.
        Assert.InRange(r.PerClassIoU[0], 0, 1);
        Assert.InRange(r.PerClassAccuracy[0], 0, 1);

        using var json = JsonDocument.Parse(File.ReadAllText(r.MetricsPath));
        var root = json.RootElement;
        Assert.Equal(r.MeanIoU, root.GetProperty("mean_iou").GetDouble(), 5);
        Assert.Equal(11, root.GetProperty("per_class").GetArrayLength());
        Assert.Equal("background", root.GetProperty("per_class")[0].GetProperty("class").GetString());
        Assert.Equal(1, root.GetProperty("epochs").GetArrayLength());
        Assert.True(double.IsFinite(root.GetProperty("epochs")[0].GetProperty("train_loss").GetDouble()));
        using (var bmp = SkiaSharp.SKBitmap.Decode(r.GridPath))
            Assert.True(bmp is { Width: > 3 * 64, Height: > 64 }, r.GridPath);

        // A second run reads the canvases that are there instead of writing them again.
        var again = new StringWriter();
        DigitSegmentationJob.Train(settings with { Output = Path.Combine(_dir, "out2") }, again);
        Assert.Contains("reading the canvases", again.ToString());
    }

    [Fact]
    public void A_diverging_fit_ends_with_one_line_metrics_json_with_stopped_and_exit_code_1()
    {
        // A learning rate no net survives: the NaN guard stops the fit inside its first epoch, before any validation.
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var settings = new DigitSegmentationSettings(Path.Combine(_dir, "canvases"), Path.Combine(_dir, "out"), Train: 48, Test: 16, Epochs: 1, BatchSize: 16,
            LearningRate: 1e30);

        int code = DigitSegmentationJob.Run(settings, stdout, stderr);

        Assert.Equal(1, code);
        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, stderr.ToString());
        Assert.StartsWith("stopped: Training stopped:", lines[0]);
        Assert.DoesNotContain("   at ", stderr.ToString() + stdout.ToString()); // no stack trace
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "out", "metrics.json")));
        Assert.StartsWith("Training stopped:", json.RootElement.GetProperty("stopped").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("epochs").GetArrayLength());
        Assert.False(File.Exists(Path.Combine(_dir, "out", "segmentation_grid.png")));
    }

    [Fact]
    public void Bad_settings_are_refused()
    {
        var stderr = new StringWriter();
        Assert.Equal(2, DigitSegmentationJob.Run(new DigitSegmentationSettings(_dir, _dir, Epochs: 0), new StringWriter(), stderr));
        Assert.Contains("--epochs", stderr.ToString());
    }
}
