using System.CommandLine;
using DigitCanvases;

// Writes the digit-canvas dataset (docs/DENSE.md): 1–5 real MNIST digits of the bundled subset on 64×64
// canvases, train canvases from the train split and test canvases from the test split, as images/, masks/
// (indexed PNG, 0 = background, digit d = d + 1), labels/ (YOLO) and annotations.json (COCO) per split,
// then reads each split back through the readers a user's data goes through and prints what they found.
var output = new Option<string>("--out") { Description = "Output folder (train/ and test/ are written inside).", DefaultValueFactory = _ => "digit-canvases" };
var train = new Option<int>("--train") { Description = "Train canvases.", DefaultValueFactory = _ => 4000 };
var test = new Option<int>("--test") { Description = "Test canvases.", DefaultValueFactory = _ => 1000 };
var seed = new Option<int>("--seed") { Description = "Seed of the digit draws and placements.", DefaultValueFactory = _ => 1 };
var maxDigits = new Option<int>("--max-digits") { Description = "Most digits per canvas (at least 1).", DefaultValueFactory = _ => 5 };

var root = new RootCommand("Writes segmentation and detection canvases of real MNIST digits, then reads them back.") { output, train, test, seed, maxDigits };
root.SetAction(r => DigitCanvasesJob.Run(
    new DigitCanvasesSettings(r.GetValue(output)!, r.GetValue(train), r.GetValue(test), r.GetValue(seed), r.GetValue(maxDigits)),
    Console.Out, Console.Error));
return root.Parse(args).Invoke();
