using ModelDsl.Data;
using ModelDsl.Runtime.Tests.Training;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Data;

/// <summary>
/// TensorDataset's targets as PyTorch's TensorDataset carries them: class indices N, or N×K per-class targets (class
/// probabilities for CrossEntropy, 0/1 labels for a multilabel BCE); anything else is one line naming both shapes.
/// </summary>
[Collection("Training")]
public class TensorDatasetTargetTests
{
    [Fact]
    public void Probability_targets_travel_through_the_loader_and_train_with_cross_entropy()
    {
        var g = new Generator(4);
        using var images = rand([10, 1, 4, 4], generator: g);
        var probabilities = rand([10, 2], generator: g).softmax(1);
        using var expected = probabilities.clone();
        using var data = new TensorDataset(images.clone(), probabilities);
        Assert.Equal(["0", "1"], data.ClassNames);
        Assert.Equal(expected[3].argmax().item<long>(), data.Get(3).Label); // a sample's label is its most probable class
        data.Get(3).Image.Dispose();

        using var loader = new DataLoader(data, batchSize: 4);
        using (var first = loader.First())
        {
            Assert.Equal(new long[] { 4, 2 }, first.Targets.shape);
            Assert.Equal(ScalarType.Float32, first.Targets.dtype);
            Assert.True(first.Targets.allclose(expected[..4]));
        }

        using var learner = new Learner(new TinyNet(), loader, options: new LearnerOptions { Device = CPU, Seed = 2, Loss = Loss.CrossEntropy(), Output = OutputMode.Silent });
        var history = learner.Fit(3, 1e-2);
        Assert.All(history, r => Assert.True(double.IsFinite(r.TrainLoss)));
    }

    [Fact]
    public void Integer_multilabel_targets_become_float_for_binary_cross_entropy()
    {
        using var data = new TensorDataset(zeros([3, 1, 2, 2]), tensor(new long[,] { { 1, 0, 1 }, { 0, 0, 1 }, { 1, 1, 0 } }));
        Assert.Equal(ScalarType.Float32, data.Labels.dtype);
        Assert.Equal(3, data.ClassNames.Count);
    }

    [Theory]
    [InlineData("float-indices", "TensorDataset class indices must be integers; got Float32 labels [3] for images [3, 1, 2, 2] (for class probabilities pass N×K targets).")]
    [InlineData("3-d", "TensorDataset needs N class indices or N×K per-class targets; got labels [3, 2, 2] for images [3, 1, 2, 2].")]
    [InlineData("count", "TensorDataset needs one target per image: labels [4] for images [3, 1, 2, 2].")]
    [InlineData("bool", "TensorDataset N×K targets must be numbers (class probabilities or 0/1 labels); got Bool labels [3, 2] for images [3, 1, 2, 2].")]
    public void Wrong_targets_are_one_line_naming_both_shapes(string kind, string message)
    {
        var labels = kind switch
        {
            "float-indices" => tensor(new float[] { 0, 1, 1 }),
            "3-d" => zeros([3, 2, 2]),
            "count" => tensor(new long[] { 0, 1, 1, 0 }),
            _ => zeros([3, 2], ScalarType.Bool),
        };
        var e = Assert.Throws<ArgumentException>(() => new TensorDataset(zeros([3, 1, 2, 2]), labels));
        Assert.Equal(message + " (Parameter 'labels')", e.Message);
    }
}
