using System.Text.Json;
using DigitDetection;
using Xunit;

namespace ModelDsl.Samples.Tests;

/// <summary>The detection sample end to end on a tiny dataset: YOLO labels in, COCO labels for the test, one epoch, outputs sane.</summary>
public sealed class DigitDetectionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("digit-detection-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void One_tiny_epoch_writes_metrics_detections_in_coco_results_format_and_the_plots()
    {
        var stdout = new StringWriter();
        var settings = new DigitDetectionSettings(Path.Combine(_dir, "canvases"), Path.Combine(_dir, "out"), Train: 48, Test: 16, Epochs: 1, BatchSize: 16);
        var r = DigitDetectionJob.Train(settings, stdout);

        Assert.Contains("48 train canvases (YOLO labels), 16 test canvases (COCO JSON)", stdout.ToString());
        Assert.Equal(16, r.TestImages);
        Assert.InRange(r.Map50, 0, 1);
        Assert.InRange(r.Map, 0, r.Map50 + 1e-12);
        Assert.Equal(10, r.PerClassAp50.Count);

        using var metrics = JsonDocument.Parse(File.ReadAllText(r.MetricsPath));
        Assert.Equal(r.Map50, metrics.RootElement.GetProperty("map_50").GetDouble(), 5);
        Assert.Equal(r.Map, metrics.RootElement.GetProperty("map_50_95").GetDouble(), 5);

        // detections.json: COCO results, ids from the test split's annotations.json.
        using var truth = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "canvases", "test", "annotations.json")));
        var imageIds = truth.RootElement.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToHashSet();
        var categoryIds = truth.RootElement.GetProperty("categories").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()).ToHashSet();
        using var results = JsonDocument.Parse(File.ReadAllText(r.DetectionsPath));
        Assert.Equal(JsonValueKind.Array, results.RootElement.ValueKind);
        Assert.Equal(r.Detections, results.RootElement.GetArrayLength());
        foreach (var d in results.RootElement.EnumerateArray())
        {
            Assert.Contains(d.GetProperty("image_id").GetInt64(), imageIds);
            Assert.Contains(d.GetProperty("category_id").GetInt64(), categoryIds);
            var bbox = d.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.Equal(4, bbox.Length);
            Assert.True(bbox[0] >= 0 && bbox[1] >= 0 && bbox[2] >= 0 && bbox[3] >= 0 && bbox[0] + bbox[2] <= 64.001 && bbox[1] + bbox[3] <= 64.001, string.Join(", ", bbox));
            Assert.InRange(d.GetProperty("score").GetDouble(), DigitDetectionJob.EvaluationMinScore, 1);
        }
        foreach (var png in new[] { "detection_grid.png", "precision_recall.png" })
            using (var bmp = SkiaSharp.SKBitmap.Decode(Path.Combine(_dir, "out", png)))
                Assert.True(bmp is { Width: > 64, Height: > 64 }, png);
    }
}
