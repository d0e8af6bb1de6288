using System.CommandLine;
using System.Diagnostics;
using ModelDsl.Data;

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
root.SetAction(r =>
{
    int nTrain = r.GetValue(train), nTest = r.GetValue(test), most = r.GetValue(maxDigits);
    if (nTrain < 1 || nTest < 1 || most < 1)
    {
        Console.Error.WriteLine("error: --train, --test and --max-digits must be at least 1.");
        return 2;
    }
    string dir = Path.GetFullPath(r.GetValue(output)!);
    var clock = Stopwatch.StartNew();
    var (trainSplit, testSplit) = DigitCanvases.WriteBundled(dir, nTrain, nTest, r.GetValue(seed), new DigitCanvasOptions { MaxDigits = most });
    Console.WriteLine($"wrote {dir} in {clock.Elapsed.TotalSeconds:F1} s");
    foreach (var split in new[] { trainSplit, testSplit })
    {
        var seg = new SegmentationFolderDataset(split.Directory, DigitCanvases.SegmentationClasses, new DenseDatasetOptions { Channels = 1 });
        var yolo = DetectionDataset.FromYolo(split.Directory, DigitCanvases.DetectionClasses, new DenseDatasetOptions { Channels = 1 });
        var coco = DetectionDataset.FromCoco(split.ImagesDirectory, split.CocoPath, new DenseDatasetOptions { Channels = 1 });
        Console.WriteLine($"{Path.GetFileName(split.Directory)}: {split.Canvases.Count} canvases, {split.DigitsPlaced} digits " +
                          $"({(double)split.DigitsPlaced / split.Canvases.Count:F2} per canvas); read back: segmentation {seg.Count} " +
                          $"({seg.ClassNames.Count} classes), YOLO {yolo.Count}, COCO {coco.Count} ({coco.ClassNames.Count} classes)");
    }
    return 0;
});
return root.Parse(args).Invoke();
