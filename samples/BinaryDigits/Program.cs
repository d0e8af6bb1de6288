using System.CommandLine;
using BinaryDigits;

// The course's 3-class MNIST net (digits 0, 1, 2), the binary case (3 vs 8) done with one logit +
// BCEWithLogits and with two logits + cross-entropy, and the metric misuse ModelDsl refuses.
var epochs = new Option<int>("--epochs") { Description = "Epochs for each of the three nets.", DefaultValueFactory = _ => 3 };
var batchSize = new Option<int>("--batch-size") { Description = "Mini-batch size.", DefaultValueFactory = _ => 32 };
var lr = new Option<double>("--lr") { Description = "Adam learning rate.", DefaultValueFactory = _ => 2e-3 };
var limit = new Option<int?>("--limit") { Description = "At most N images per split of each task (default: all of the bundled subset)." };
var seed = new Option<int>("--seed") { Description = "Seed for weights and shuffling.", DefaultValueFactory = _ => 42 };

var root = new RootCommand("3-class MNIST, and binary classification done both ways, on the bundled MNIST subset.") { epochs, batchSize, lr, limit, seed };
root.SetAction(r =>
{
    var settings = new BinaryDigitsSettings(r.GetValue(epochs), r.GetValue(batchSize), r.GetValue(lr), r.GetValue(seed), r.GetValue(limit));
    if (settings.Epochs < 1 || settings.BatchSize < 1 || settings.Limit is < 1)
    {
        Console.Error.WriteLine("error: --epochs, --batch-size and --limit must be at least 1.");
        return 2;
    }
    return BinaryDigitsJob.Run(settings, Console.Out, Console.Error);
});
return root.Parse(args).Invoke();
