using System.CommandLine;
using SevenClassFolder;

// The course's 7-class ImageFolder classifier: SevenClassNet (3×64×64) on --data's train/ and test/,
// then the per-class precision of the test split.
var data = new Option<string?>("--data") { Description = "ImageFolder root with train/<class>/ and test/<class>/ for 7 classes." };
var epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => 5 };
var batchSize = new Option<int>("--batch-size") { Description = "Mini-batch size.", DefaultValueFactory = _ => 32 };
var lr = new Option<double>("--lr") { Description = "Adam learning rate.", DefaultValueFactory = _ => 1e-3 };
var seed = new Option<int>("--seed") { Description = "Seed for weights, shuffling and augmentation.", DefaultValueFactory = _ => 42 };
var workers = new Option<int>("--workers") { Description = "Image decoding threads (0 = on the training thread).", DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount - 1) };

var root = new RootCommand("Trains the course's 7-class SevenClassNet on an ImageFolder root and prints per-class precision.") { data, epochs, batchSize, lr, seed, workers };
root.SetAction(r =>
{
    var settings = new SevenClassSettings(r.GetValue(data), r.GetValue(epochs), r.GetValue(batchSize), r.GetValue(lr), r.GetValue(seed), r.GetValue(workers));
    if (settings.Epochs < 1 || settings.BatchSize < 1 || settings.Workers < 0)
    {
        Console.Error.WriteLine("error: --epochs and --batch-size must be at least 1, --workers at least 0.");
        return 2;
    }
    return SevenClassJob.Run(settings, Console.Out, Console.Error);
});
return root.Parse(args).Invoke();
