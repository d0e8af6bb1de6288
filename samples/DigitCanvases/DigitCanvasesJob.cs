using System.Diagnostics;
using ModelDsl.Data;

namespace DigitCanvases;

public sealed record DigitCanvasesSettings(string Output, int Train = 4000, int Test = 1000, int Seed = 1, int MaxDigits = 5);

/// <summary>What one split read back as, through the readers a user's data goes through.</summary>
public sealed record SplitReadBack(string Name, int Canvases, int Digits, int Segmentation, int Yolo, int Coco, int YoloBoxes, int CocoBoxes);

/// <summary>
/// Writes the digit-canvas dataset (docs/DENSE.md) for both splits, then reads each split back with
/// SegmentationFolderDataset, DetectionDataset.FromYolo and DetectionDataset.FromCoco and reports what they found.
/// </summary>
public static class DigitCanvasesJob
{
    public static int Run(DigitCanvasesSettings settings, TextWriter stdout, TextWriter stderr)
    {
        if (settings.Train < 1 || settings.Test < 1 || settings.MaxDigits < 1)
        {
            stderr.WriteLine("error: --train, --test and --max-digits must be at least 1.");
            return 2;
        }
        Write(settings, stdout);
        return 0;
    }

    public static IReadOnlyList<SplitReadBack> Write(DigitCanvasesSettings settings, TextWriter stdout)
    {
        string dir = Path.GetFullPath(settings.Output);
        var clock = Stopwatch.StartNew();
        var (train, test) = ModelDsl.Data.DigitCanvases.WriteBundled(dir, settings.Train, settings.Test, settings.Seed,
                                                                    new DigitCanvasOptions { MaxDigits = settings.MaxDigits });
        stdout.WriteLine($"wrote {dir} in {clock.Elapsed.TotalSeconds:F1} s");
        var result = new List<SplitReadBack>();
        foreach (var split in new[] { train, test })
        {
            var gray = new DenseDatasetOptions { Channels = 1 };
            var seg = new SegmentationFolderDataset(split.Directory, ModelDsl.Data.DigitCanvases.SegmentationClasses, gray);
            var yolo = DetectionDataset.FromYolo(split.Directory, ModelDsl.Data.DigitCanvases.DetectionClasses, gray);
            var coco = DetectionDataset.FromCoco(split.ImagesDirectory, split.CocoPath, gray);
            var r = new SplitReadBack(Path.GetFileName(split.Directory), split.Canvases.Count, split.DigitsPlaced, seg.Count, yolo.Count, coco.Count,
                                      Enumerable.Range(0, yolo.Count).Sum(i => yolo.Labels(i).Boxes.Count),
                                      Enumerable.Range(0, coco.Count).Sum(i => coco.Labels(i).Boxes.Count));
            stdout.WriteLine($"{r.Name}: {r.Canvases} canvases, {r.Digits} digits ({(double)r.Digits / r.Canvases:F2} per canvas); read back: " +
                             $"segmentation {r.Segmentation} ({seg.ClassNames.Count} classes), YOLO {r.Yolo} ({r.YoloBoxes} boxes), " +
                             $"COCO {r.Coco} ({r.CocoBoxes} boxes, {coco.ClassNames.Count} classes)");
            result.Add(r);
        }
        return result;
    }
}
