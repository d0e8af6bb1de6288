using System.Diagnostics;
using ModelDsl.Augmentation;
using ModelDsl.Data;
using ModelDsl.Reports;

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
            if (r.Name == "train") Preview(seg, yolo, dir, settings.Seed, stdout);
        }
        return result;
    }

    /// <summary>
    /// The first train canvases as the dense loaders give them, through one paired augmentation (flip, small
    /// affine, padded crop), drawn with the dense reports: masks and boxes must still sit on the digits.
    /// </summary>
    private static void Preview(SegmentationFolderDataset seg, DetectionDataset det, string dir, int seed, TextWriter stdout)
    {
        IPairedAugmentation Augment() => new PairedSequential(
            new PairedHorizontalFlip(seed: seed), new PairedRandomAffine(15, (0.05, 0.05), (0.9, 1.1), seed: seed + 1),
            new PairedRandomCrop(64, 64, padding: 4, seed: seed + 2));
        int n = Math.Min(8, seg.Count);
        using (var batch = new SegmentationDataLoader(seg, n, augmentation: Augment()).First())
            Plots.SegmentationGrid(batch.Inputs, batch.Targets, batch.Targets, Path.Combine(dir, "preview-segmentation.png"), seg.ClassNames, maxImages: n);
        using (var batch = new DetectionDataLoader(det, n, augmentation: Augment()).First())
        {
            var (boxes, classes) = DetectionTargets.Unpack(batch.Targets);
            using (boxes) using (classes)
            {
                var truth = DetectionTargets.ToLists(boxes, classes);
                // Shown as "predictions" of score 1 too, so the class labels are drawn over the true boxes.
                var labelled = truth.Select(l => (IReadOnlyList<ScoredBox>)l.Select(b => new ScoredBox(b, 1.0)).ToArray()).ToArray();
                Plots.DetectionGrid(batch.Inputs, truth, labelled, Path.Combine(dir, "preview-detection.png"), det.ClassNames, maxImages: n);
            }
        }
        stdout.WriteLine($"previews (augmented train canvases): {Path.Combine(dir, "preview-segmentation.png")}, {Path.Combine(dir, "preview-detection.png")}");
    }
}
