using CourseNets;
using SkiaSharp;
using Xunit;

namespace ModelDsl.Samples.Tests;

/// <summary>The course nets sample: summaries, Monster's frozen-then-unfrozen Features stage, filters and feature maps.</summary>
public sealed class CourseNetsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("coursenets-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Monster_features_stay_frozen_in_the_first_half_then_train_and_the_plots_are_written()
    {
        var console = new StringWriter();
        var result = CourseNetsJob.Run(new CourseNetsSettings(Path.Combine(_dir, "out"), Epochs: 2, BatchSize: 16, Limit: 64), console);
        string output = console.ToString();

        Assert.Contains("LeNet5: 1×28×28 -> 10", output);
        Assert.Contains("AlexNet: 3×224×224 -> 1000", output);
        Assert.Contains("Monster: 3×32×32 -> 10", output);
        Assert.Contains("64 train, 16 test", output);
        Assert.Contains("epoch 0: frozen stages: Features; training: Head", output);
        Assert.Contains("epoch 1: frozen stages: none; training: Features, Head", output);

        Assert.Equal([true, false], result.FeaturesFrozen);
        Assert.Equal(0.0, result.FeaturesChange[0]);       // frozen: not one weight moved
        Assert.True(result.HeadChange[0] > 0, "the head trains while the features are frozen");
        Assert.True(result.FeaturesChange[1] > 0, "unfrozen, the features train");
        Assert.True(result.HeadChange[1] > 0);

        foreach (var png in new[] { result.FiltersPng, result.FeatureMapsPng })
        {
            Assert.Equal(Path.Combine(_dir, "out"), Path.GetDirectoryName(png));
            using var bitmap = SKBitmap.Decode(png);
            Assert.True(bitmap is { Width: > 100, Height: > 100 }, png);
        }
        Assert.Contains("through conv1: 64×7×7", output);
    }
}
