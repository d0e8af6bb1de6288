using System.CommandLine;
using DigitSegmentation;

// Trains the DSL U-Net DigitSegNet on digit canvases (real MNIST digits of the bundled subset on 64×64
// canvases, docs/DENSE.md) read back as a VOC-style segmentation folder, and reports mean IoU, per-class
// accuracy, pixel accuracy and Dice on the test canvases; --out gets metrics.json and segmentation_grid.png.
var data = new Option<string>("--data") { Description = "Digit-canvas folder with train/ and test/; written there first when missing.", DefaultValueFactory = _ => "digit-canvases" };
var output = new Option<string>("--out") { Description = "Folder for metrics.json and segmentation_grid.png.", DefaultValueFactory = _ => "out-segmentation" };
var train = new Option<int>("--train") { Description = "Train canvases to write when --data has none.", DefaultValueFactory = _ => 4000 };
var test = new Option<int>("--test") { Description = "Test canvases to write when --data has none.", DefaultValueFactory = _ => 1000 };
var epochs = new Option<int>("--epochs") { Description = "Epochs of one-cycle training.", DefaultValueFactory = _ => 8 };
var batchSize = new Option<int>("--batch-size") { Description = "Mini-batch size.", DefaultValueFactory = _ => 32 };
var lr = new Option<double>("--lr") { Description = "Peak learning rate of the one-cycle schedule (AdamW).", DefaultValueFactory = _ => 1e-2 };
var seed = new Option<int>("--seed") { Description = "Seed of the canvases, weights, shuffling and augmentation.", DefaultValueFactory = _ => 1 };
var augment = new Option<bool>("--augment") { Description = "Paired random affine (±10°, 5% shift, 0.9–1.1 zoom) on the train canvases." };
var backgroundWeight = new Option<double>("--background-weight") { Description = "Cross-entropy weight of background pixels (digits weigh 1).", DefaultValueFactory = _ => 0.1 };
var noDice = new Option<bool>("--no-dice") { Description = "Per-pixel cross-entropy alone (default: cross-entropy + Dice)." };
var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Write checkpoint.bin in --out every N optimizer steps, mid-epoch too (0: none).", DefaultValueFactory = _ => 0 };
var resume = new Option<bool>("--resume") { Description = "Continue from --out's checkpoint.bin when it is there (give the same other options)." };

var root = new RootCommand("Trains a DSL U-Net to label every pixel of digit canvases and reports mean IoU and per-class accuracy.")
    { data, output, train, test, epochs, batchSize, lr, seed, augment, noDice, backgroundWeight, checkpointEvery, resume };
root.SetAction(r => DigitSegmentationJob.Run(
    new DigitSegmentationSettings(r.GetValue(data)!, r.GetValue(output)!, r.GetValue(train), r.GetValue(test), r.GetValue(epochs),
        r.GetValue(batchSize), r.GetValue(lr), r.GetValue(seed), r.GetValue(augment), !r.GetValue(noDice), r.GetValue(backgroundWeight),
        r.GetValue(checkpointEvery), r.GetValue(resume)),
    Console.Out, Console.Error));
return root.Parse(args).Invoke();
