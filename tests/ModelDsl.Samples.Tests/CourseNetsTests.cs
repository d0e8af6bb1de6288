using CourseNets;
using ModelDsl.Training;
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
        var watch = new ParameterWatch("Features.Conv1.weight", "Head.Linear1.weight");
        var result = CourseNetsJob.Run(new CourseNetsSettings(Path.Combine(_dir, "out"), Epochs: 2, BatchSize: 16, Limit: 64), console, watch);
        string output = console.ToString();

        Assert.Contains("LeNet5: 1×28×28 -> 10", output);
        Assert.Contains("AlexNet: 3×224×224 -> 1000", output);
        Assert.Contains("Monster: 3×32×32 -> 10", output);
        Assert.Contains("64 train, 16 test", output);
        Assert.Contains("epoch 0: frozen stages: Features; training: Head", output);
        Assert.Contains("epoch 1: frozen stages: none; training: Features, Head", output);

        // Our own look at two parameters, before and after each epoch: the first conv (Features) and the head.
        Assert.Equal(2, watch.Epochs.Count);
        var (frozenConvBefore, frozenConvAfter) = watch.Epochs[0]["Features.Conv1.weight"];
        Assert.Equal(frozenConvBefore, frozenConvAfter);                       // bit for bit
        var (headBefore, headAfter) = watch.Epochs[0]["Head.Linear1.weight"];
        Assert.NotEqual(headBefore, headAfter);
        var (convBefore, convAfter) = watch.Epochs[1]["Features.Conv1.weight"];
        Assert.NotEqual(convBefore, convAfter);
        Assert.Equal(frozenConvAfter, convBefore);

        // And what the sample itself measured and printed over all of each stage's parameters.
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

    /// <summary>Copies of the named parameters at the start and end of every epoch.</summary>
    private sealed class ParameterWatch(params string[] names) : ILearnerCallback
    {
        private Dictionary<string, float[]> _start = [];

        public List<Dictionary<string, (float[] Before, float[] After)>> Epochs { get; } = [];

        public void OnEpochStart(Learner learner, int epoch) => _start = Copy(learner);

        public void OnEpochEnd(Learner learner, EpochRecord record)
        {
            var end = Copy(learner);
            Epochs.Add(names.ToDictionary(n => n, n => (_start[n], end[n])));
        }

        private Dictionary<string, float[]> Copy(Learner learner)
        {
            var parameters = learner.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            return names.ToDictionary(n => n, n => parameters[n].detach().cpu().data<float>().ToArray());
        }
    }
}
