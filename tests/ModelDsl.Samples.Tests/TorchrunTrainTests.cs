using ModelDsl.Data;
using ModelDsl.Runtime.Tests.Interop;
using ModelDsl.Samples;
using TorchrunTrain;
using Xunit;

namespace ModelDsl.Samples.Tests;

/// <summary>
/// The torchrun recipe end to end: two gloo processes train LeNet5's PyTorch twin with DistributedDataParallel on the
/// bundled MNIST files (a few hundred digits), and the .NET LeNet5 loads and evaluates the weights they saved.
/// </summary>
public sealed class TorchrunTrainTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("torchrun-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Two_gloo_processes_train_the_twin_and_the_dotnet_model_evaluates_their_weights()
    {
        var weights = Path.Combine(_dir, "lenet5-ddp.pt");
        // The generated twin, as a user writes it: the model's PyTorchSource saved as a Python file.
        var twin = Path.Combine(_dir, "lenet5_twin.py");
        File.WriteAllText(twin, LeNet5.PyTorchSource);
        // torchrun is `python3 -m torch.distributed.run`; through the module the test uses the same interpreter as the other
        // Python tests. --redirects/--tee 1 work around torch 1.13's launcher on Python 3.11 (Debian 12), see README.md.
        var output = SystemPython.RunFile(SystemPython.Interpreter,
            ["-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2", "--redirects", "1", "--tee", "1", "--log_dir", Path.Combine(_dir, "logs"),
             Path.Combine(AppContext.BaseDirectory, "train_ddp.py"), "--twin", twin, "--data", BundledData.MnistDirectory, "--out", weights,
             "--samples", "512", "--epochs", "3", "--lr", "0.005"],
            _dir, [SystemPython.Torch], TimeSpan.FromMinutes(5));

        Assert.Contains("epoch 2: train loss", output);
        Assert.Contains("over 512 digits (2 processes", output);
        Assert.True(File.Exists(weights), output);

        var result = TorchrunEvaluation.Evaluate(weights, limit: 1000);
        Assert.Equal(1000, result.Count);
        // Loosely above chance (0.1): the point is the pipeline, not the accuracy of 3 epochs on 512 digits.
        Assert.True(result.Accuracy > 0.3, $"test accuracy {result.Accuracy:F3} of the torchrun-trained weights; torchrun printed:\n{output}");
    }
}
