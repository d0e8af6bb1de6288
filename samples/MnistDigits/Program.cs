using System.CommandLine;
using System.Runtime.InteropServices;
using MnistDigits;

// The main job: trains a DSL-declared CNN (the bundled 10,000 MNIST digits by default) and prints
// the epoch table, the test accuracy and the per-class report; --out gets metrics, predictions,
// plots and the checkpoint.
var data = new Option<string?>("--data") { Description = "An MNIST IDX folder, a CIFAR-10 binary folder, or an ImageFolder root with train/ (and test/, or a split is held out). Default: the bundled MNIST subset." };
var epochs = new Option<int>("--epochs") { Description = "Epochs of one-cycle training.", DefaultValueFactory = _ => 8 };
var batchSize = new Option<int>("--batch-size") { Description = "Mini-batch size.", DefaultValueFactory = _ => 64 };
var lr = new Option<double>("--lr") { Description = "Peak learning rate of the one-cycle schedule (AdamW).", DefaultValueFactory = _ => 3e-3 };
var device = new Option<string>("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };
var seed = new Option<int>("--seed") { Description = "Seed for weights, shuffling and augmentation.", DefaultValueFactory = _ => 42 };
var output = new Option<string>("--out") { Description = "Folder for metrics.json, predictions.csv, plots and the checkpoint.", DefaultValueFactory = _ => "out" };
var workers = new Option<int>("--workers") { Description = "Decoding threads for image folders (0 = on the training thread).", DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount - 1) };
var resume = new Option<string?>("--resume") { Description = "Resume the interrupted run from this checkpoint (default: checkpoint.bin in --out); --data, --epochs, --batch-size, --lr and --seed default to the checkpoint's run, and differing values are refused.", Arity = ArgumentArity.ZeroOrOne };
var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Write checkpoint.bin every N optimizer steps (0: after every epoch).", DefaultValueFactory = _ => 0 };
// ImageFolder only: each overrides one default the job otherwise derives from the data (see FolderDefaults).
var channels = new Option<int?>("--channels") { Description = "ImageFolder: 1 (gray) or 3 (RGB). Default: 1 when every image is gray." };
var size = new Option<int?>("--size") { Description = "ImageFolder: input size, 32, 64 or 128. Default: the net size nearest the images' median size." };
var flip = new Option<bool>("--flip") { Description = "ImageFolder: add random horizontal flips (off by default)." };
var noAugment = new Option<bool>("--no-augment") { Description = "ImageFolder: no augmentation (default: mild rotation, zoom, shift and lighting)." };
var validPct = new Option<double?>("--valid-pct") { Description = "ImageFolder without test/: share of train/ held out for validation. Default: 0.2." };

var root = new RootCommand("Trains a ModelDsl CNN and reports its test metrics. Ctrl+C (SIGINT) or SIGTERM writes checkpoint.bin and exits with code 130; --resume continues from it.")
    { data, epochs, batchSize, lr, device, seed, output, workers, resume, checkpointEvery, channels, size, flip, noAugment, validPct };
root.SetAction(r =>
{
    var settings = new JobSettings(r.GetValue(data), r.GetValue(epochs), r.GetValue(batchSize), r.GetValue(lr), r.GetValue(device)!,
        r.GetValue(seed), r.GetValue(output)!, r.GetValue(workers));
    settings = settings with
    {
        ResumeFrom = r.GetResult(resume) is null ? null : r.GetValue(resume) ?? settings.CheckpointPath,
        CheckpointEvery = r.GetValue(checkpointEvery),
        GivenOptions = new Option[] { data, epochs, batchSize, lr, seed }.Where(o => r.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToHashSet(),
        Folder = new FolderSettings { Channels = r.GetValue(channels), Size = r.GetValue(size), Flip = r.GetValue(flip), NoAugment = r.GetValue(noAugment), ValidFraction = r.GetValue(validPct) },
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
