using TorchrunTrain;

// dotnet run --project samples/TorchrunTrain -c Release -- lenet5-ddp.pt [mnist folder]
// Loads the weights that `torchrun ... train_ddp.py` saved into the DSL LeNet5 and evaluates them on the test split.
if (args.Length is < 1 or > 2 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: TorchrunTrain <weights.pt> [mnist folder, default: the bundled data/mnist-10k]");
    return 2;
}
var result = TorchrunEvaluation.Evaluate(args[0], args.Length > 1 ? args[1] : null);
Console.WriteLine($"{result.Weights}: LeNet5 in .NET, test accuracy {result.Accuracy:F4} ({result.Correct} of {result.Count} digits)");
return 0;
