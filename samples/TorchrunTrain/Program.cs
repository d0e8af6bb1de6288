using ModelDsl.Samples;
using TorchrunTrain;

// dotnet run --project samples/TorchrunTrain -c Release -- twin lenet5_twin.py
//   writes the DSL LeNet5's generated PyTorch twin (LeNet5.PyTorchSource), the module train_ddp.py trains.
// dotnet run --project samples/TorchrunTrain -c Release -- lenet5-ddp.pt [mnist folder]
//   loads the weights that `torchrun ... train_ddp.py` saved into the DSL LeNet5 and evaluates them on the test split.
if (args.Length == 2 && args[0] == "twin")
{
    File.WriteAllText(args[1], LeNet5.PyTorchSource);
    Console.WriteLine($"wrote LeNet5's PyTorch twin to {args[1]}");
    return 0;
}
if (args.Length is < 1 or > 2 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: TorchrunTrain twin <twin.py>                 write LeNet5's generated PyTorch twin");
    Console.Error.WriteLine("       TorchrunTrain <weights.pt> [mnist folder]  evaluate torchrun-trained weights (default data: the bundled data/mnist-10k)");
    return 2;
}
var result = TorchrunEvaluation.Evaluate(args[0], args.Length > 1 ? args[1] : null);
Console.WriteLine($"{result.Weights}: LeNet5 in .NET, test accuracy {result.Accuracy:F4} ({result.Correct} of {result.Count} digits)");
return 0;
