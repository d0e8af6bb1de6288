using ModelDsl.Data;
using ModelDsl.Interop;
using ModelDsl.Samples;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchrunTrain;

/// <summary>How the .NET LeNet5 does on weights trained elsewhere: the share of test digits it gets right.</summary>
/// <param name="Weights">The weights file that was loaded.</param>
/// <param name="Correct">Test digits classified correctly.</param>
/// <param name="Count">Test digits evaluated.</param>
public sealed record TorchrunEvaluationResult(string Weights, int Correct, int Count)
{
    public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;
}

/// <summary>Loads PyTorch-trained weights into the DSL LeNet5 (names equal the twin's: no name map) and evaluates it in .NET.</summary>
public static class TorchrunEvaluation
{
    /// <summary>
    /// Evaluates <paramref name="weightsPath"/> (train_ddp.py's output) on the test split of <paramref name="mnistDirectory"/>
    /// (the bundled data/mnist-10k when null), the first <paramref name="limit"/> digits when given.
    /// </summary>
    public static TorchrunEvaluationResult Evaluate(string weightsPath, string? mnistDirectory = null, int? limit = null, int batchSize = 500)
    {
        using var model = new LeNet5();
        model.LoadFromPyTorch(weightsPath);
        model.eval();
        using var test = MnistDataset.Load(mnistDirectory ?? BundledData.MnistDirectory, train: false);
        int count = Math.Min(limit ?? test.Count, test.Count);
        int correct = 0;
        using var noGrad = no_grad();
        for (int start = 0; start < count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            long n = Math.Min(batchSize, count - start);
            // MnistDataset stores uint8; the model (and train_ddp.py) sees 1×28×28 in [0, 1].
            var images = test.Images.narrow(0, start, n).to_type(ScalarType.Float32) / 255.0;
            var labels = test.Labels.narrow(0, start, n).to_type(ScalarType.Int64);
            var predicted = model.call(images).argmax(1);
            correct += (int)predicted.eq(labels).sum().item<long>();
        }
        return new TorchrunEvaluationResult(weightsPath, correct, count);
    }
}
