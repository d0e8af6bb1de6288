using System.CommandLine;
using MnistDigits;

// The main job: trains a DSL-declared CNN (the bundled 10,000 MNIST digits by default) and prints
// the epoch table, the test accuracy and the per-class report; --out gets metrics, predictions,
// plots and the checkpoint.
var data = new Option<string?>("--data") { Description = "An MNIST IDX folder, a CIFAR-10 binary folder, or an ImageFolder root with train/ and test/. Default: the bundled MNIST subset." };
var epochs = new Option<int>("--epochs") { Description = "Epochs of one-cycle training.", DefaultValueFactory = _ => 8 };
var batchSize = new Option<int>("--batch-size") { Description = "Mini-batch size.", DefaultValueFactory = _ => 64 };
var lr = new Option<double>("--lr") { Description = "Peak learning rate of the one-cycle schedule (AdamW).", DefaultValueFactory = _ => 3e-3 };
var device = new Option<string>("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };
var seed = new Option<int>("--seed") { Description = "Seed for weights, shuffling and augmentation.", DefaultValueFactory = _ => 42 };
var output = new Option<string>("--out") { Description = "Folder for metrics.json, predictions.csv, plots and the checkpoint.", DefaultValueFactory = _ => "out" };
var workers = new Option<int>("--workers") { Description = "Decoding threads for image folders (0 = on the training thread).", DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount - 1) };

var root = new RootCommand("Trains a ModelDsl CNN and reports its test metrics.") { data, epochs, batchSize, lr, device, seed, output, workers };
root.SetAction(r =>
{
    var settings = new JobSettings(r.GetValue(data), r.GetValue(epochs), r.GetValue(batchSize), r.GetValue(lr), r.GetValue(device)!,
        r.GetValue(seed), r.GetValue(output)!, r.GetValue(workers));
    if (settings.Validate() is { } problem)
    {
        Console.Error.WriteLine($"error: {problem}");
        return 2;
    }
    return TrainingJob.Run(settings, Console.Out, Console.Error);
});
return root.Parse(args).Invoke();
