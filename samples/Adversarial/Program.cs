using System.CommandLine;
using Adversarial;

// The course's "fooling a network": a small DSL classifier trained on the bundled MNIST digits, then its test digits
// attacked with FGSM and PGD at a few ε; prints clean vs adversarial accuracy and writes adversarial.png.
var epochs = new Option<int>("--epochs") { Description = "Training epochs (one-cycle Adam).", DefaultValueFactory = _ => 4 };
var batchSize = new Option<int>("--batch-size") { Description = "Mini-batch size.", DefaultValueFactory = _ => 32 };
var lr = new Option<double>("--lr") { Description = "Peak learning rate of the one-cycle schedule (Adam).", DefaultValueFactory = _ => 5e-3 };
var epsilons = new Option<double[]>("--epsilon") { Description = "Attack radii ε in pixel units (L∞), one or more.", DefaultValueFactory = _ => [0.05, 0.1, 0.2], AllowMultipleArgumentsPerToken = true };
var pgdSteps = new Option<int>("--pgd-steps") { Description = "PGD steps; each of α = 2.5·ε / steps.", DefaultValueFactory = _ => 10 };
var trainLimit = new Option<int?>("--train-limit") { Description = "At most N training digits (default: all 8,000)." };
var limit = new Option<int?>("--limit") { Description = "At most N test digits attacked (default: all 2,000)." };
var seed = new Option<int>("--seed") { Description = "Seed for weights and shuffling.", DefaultValueFactory = _ => 42 };
var output = new Option<string>("--out") { Description = "Folder for adversarial.png.", DefaultValueFactory = _ => "out-adversarial" };

var root = new RootCommand("Trains a small CNN on the bundled MNIST digits and fools it with FGSM and PGD.")
    { epochs, batchSize, lr, epsilons, pgdSteps, trainLimit, limit, seed, output };
root.SetAction(r => AdversarialJob.Run(new AdversarialSettings(r.GetValue(epochs), r.GetValue(batchSize), r.GetValue(lr), r.GetValue(epsilons)!,
    r.GetValue(pgdSteps), r.GetValue(trainLimit), r.GetValue(limit), r.GetValue(seed), r.GetValue(output)!), Console.Out, Console.Error));
return root.Parse(args).Invoke();
