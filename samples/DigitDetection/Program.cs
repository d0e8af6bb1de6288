using System.CommandLine;
using DigitDetection;

// Trains the DSL detector DigitDetectorNet on digit canvases (real MNIST digits of the bundled subset on 64×64
// canvases, docs/DENSE.md) — train labels read as YOLO txt, test labels as COCO JSON — on an 8×8 YOLO grid, and
// reports mAP@0.5 and mAP@0.5:0.95 on the test canvases; --out gets metrics.json, detections.json (COCO results),
// detection_grid.png and precision_recall.png.
var data = new Option<string>("--data") { Description = "Digit-canvas folder with train/ and test/; written there first when missing.", DefaultValueFactory = _ => "digit-canvases" };
var output = new Option<string>("--out") { Description = "Folder for metrics.json, detections.json and the PNGs.", DefaultValueFactory = _ => "out-detection" };
var train = new Option<int>("--train") { Description = "Train canvases to write when --data has none.", DefaultValueFactory = _ => 4000 };
var test = new Option<int>("--test") { Description = "Test canvases to write when --data has none.", DefaultValueFactory = _ => 1000 };
var epochs = new Option<int>("--epochs") { Description = "Epochs of one-cycle training.", DefaultValueFactory = _ => 8 };
var batchSize = new Option<int>("--batch-size") { Description = "Mini-batch size.", DefaultValueFactory = _ => 32 };
var lr = new Option<double>("--lr") { Description = "Peak learning rate of the one-cycle schedule (AdamW).", DefaultValueFactory = _ => 1e-2 };
var seed = new Option<int>("--seed") { Description = "Seed of the canvases, weights and shuffling.", DefaultValueFactory = _ => 1 };

var root = new RootCommand("Trains a DSL detector on an 8×8 YOLO grid to find digits on canvases and reports COCO mAP.")
    { data, output, train, test, epochs, batchSize, lr, seed };
root.SetAction(r => DigitDetectionJob.Run(
    new DigitDetectionSettings(r.GetValue(data)!, r.GetValue(output)!, r.GetValue(train), r.GetValue(test), r.GetValue(epochs),
        r.GetValue(batchSize), r.GetValue(lr), r.GetValue(seed)),
    Console.Out, Console.Error));
return root.Parse(args).Invoke();
