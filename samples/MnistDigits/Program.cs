using System.CommandLine;
using System.Runtime.InteropServices;
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
var resume = new Option<string?>("--resume") { Description = "Resume the interrupted run from this checkpoint (default: checkpoint.bin in --out), with the same other options.", Arity = ArgumentArity.ZeroOrOne };
var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Write checkpoint.bin every N optimizer steps (0: after every epoch).", DefaultValueFactory = _ => 0 };

var root = new RootCommand("Trains a ModelDsl CNN and reports its test metrics. Ctrl+C (SIGINT) or SIGTERM writes checkpoint.bin and exits with code 130; --resume continues from it.")
    { data, epochs, batchSize, lr, device, seed, output, workers, resume, checkpointEvery };
root.SetAction(r =>
{
    var settings = new JobSettings(r.GetValue(data), r.GetValue(epochs), r.GetValue(batchSize), r.GetValue(lr), r.GetValue(device)!,
        r.GetValue(seed), r.GetValue(output)!, r.GetValue(workers));
    settings = settings with
    {
        ResumeFrom = r.GetResult(resume) is null ? null : r.GetValue(resume) ?? settings.CheckpointPath,
        CheckpointEvery = r.GetValue(checkpointEvery),
    };
    if (settings.Validate() is { } problem)
    {
        Console.Error.WriteLine($"error: {problem}");
        return 2;
    }
    // The first Ctrl+C (or SIGTERM) asks the job to checkpoint and stop; a second one ends it at once.
    using var interrupt = new CancellationTokenSource();
    void OnSignal(PosixSignalContext c)
    {
        c.Cancel = !interrupt.IsCancellationRequested;
        interrupt.Cancel();
    }
    using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    return TrainingJob.Run(settings, Console.Out, Console.Error, interrupt.Token);
});
return root.Parse(args).Invoke();
