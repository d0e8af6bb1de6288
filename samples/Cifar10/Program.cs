using System.CommandLine;
using Cifar10;

// The course's CifarCNN on CIFAR-10: crop + flip + normalize, test report, confusion matrix, checkpoint.
var data = new Option<string?>("--data") { Description = "Folder with CIFAR-10's binary batches (or its cifar-10-batches-bin/). Default: the cache, downloaded when online." };
var cache = new Option<string>("--cache") { Description = "Where CIFAR-10 is downloaded to and looked for when --data is not given.", DefaultValueFactory = _ => Cifar10Settings.DefaultCache };
var mirror = new Option<string?>("--mirror") { Description = "Base URL to download cifar-10-binary.tar.gz from instead of the authors' site." };
var epochs = new Option<int>("--epochs") { Description = "Epochs of one-cycle training.", DefaultValueFactory = _ => 10 };
var batchSize = new Option<int>("--batch-size") { Description = "Mini-batch size.", DefaultValueFactory = _ => 64 };
var lr = new Option<double>("--lr") { Description = "Peak learning rate (AdamW, one-cycle).", DefaultValueFactory = _ => 3e-3 };
var limit = new Option<int?>("--limit") { Description = "Train on the first N training images only (default: all 50,000)." };
var seed = new Option<int>("--seed") { Description = "Seed for weights, shuffling and augmentation.", DefaultValueFactory = _ => 42 };
var output = new Option<string>("--out") { Description = "Folder for confusion_matrix.png, metrics.json and checkpoint.bin.", DefaultValueFactory = _ => "out" };

var root = new RootCommand("Trains the course's CifarCNN on CIFAR-10 with augmentation; writes a confusion matrix and a checkpoint.")
    { data, cache, mirror, epochs, batchSize, lr, limit, seed, output };
root.SetAction(r =>
{
    Uri? mirrorUrl = null;
    if (r.GetValue(mirror) is { } m && (!Uri.TryCreate(m.EndsWith('/') ? m : m + "/", UriKind.Absolute, out mirrorUrl) || mirrorUrl.Scheme is not ("http" or "https")))
    {
        Console.Error.WriteLine($"error: --mirror {m}: not an http(s) URL.");
        return 2;
    }
    var settings = new Cifar10Settings(r.GetValue(data), r.GetValue(cache)!, r.GetValue(output)!, r.GetValue(epochs), r.GetValue(batchSize),
        r.GetValue(lr), r.GetValue(seed), r.GetValue(limit), mirrorUrl);
    if (settings.Epochs < 1 || settings.BatchSize < 1 || settings.Limit is < 1)
    {
        Console.Error.WriteLine("error: --epochs, --batch-size and --limit must be at least 1.");
        return 2;
    }
    return Cifar10Job.Run(settings, Console.Out, Console.Error);
});
return root.Parse(args).Invoke();
