using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ModelDsl.Augmentation;
using ModelDsl.Data;
using ModelDsl.Metrics;
using ModelDsl.Reports;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitSegmentation;

/// <param name="Data">Digit-canvas folder with train/ and test/ (written there first when train/images is missing).</param>
/// <param name="Train">Train canvases to write when the folder is made here.</param>
/// <param name="Test">Test canvases to write when the folder is made here.</param>
/// <param name="Augment">Paired random affine (small rotation, shift, zoom) on the train canvases.</param>
/// <param name="BackgroundWeight">Cross-entropy weight of background pixels (digits weigh 1).</param>
/// <param name="CheckpointEvery">Write <c>checkpoint.bin</c> in the output folder every this many optimizer steps, mid-epoch too (0: none).</param>
/// <param name="Resume">Continue from the output folder's <c>checkpoint.bin</c> when it is there (the other settings must be the run's).</param>
public sealed record DigitSegmentationSettings(string Data, string Output, int Train = 4000, int Test = 1000, int Epochs = 8, int BatchSize = 32,
    double LearningRate = 1e-2, int Seed = 1, bool Augment = false, bool Dice = true, double BackgroundWeight = 0.1,
    int CheckpointEvery = 0, bool Resume = false)
{
    /// <summary>Where the run keeps its checkpoint.</summary>
    public string CheckpointPath => Path.Combine(Path.GetFullPath(Output), "checkpoint.bin");
}

/// <summary>What the run measured on the test canvases.</summary>
public sealed record DigitSegmentationResult(double MeanIoU, double PixelAccuracy, double Dice, IReadOnlyList<double> PerClassIoU,
    IReadOnlyList<double> PerClassAccuracy, double TrainSeconds, string MetricsPath, string GridPath);

/// <summary>
/// Segmentation of real digits end to end: the digit-canvas dataset (written with <see cref="ModelDsl.Data.DigitCanvases"/>
/// from the bundled MNIST subset, train canvases from the train split, test canvases from the test split) read
/// back through <see cref="SegmentationFolderDataset"/> like a user's VOC-style folder, the DSL U-Net
/// <see cref="DigitSegNet"/> trained with per-pixel cross-entropy + Dice, and the test canvases judged by
/// mean IoU (background + 10 digits), per-class accuracy (the course's SA), pixel accuracy and Dice.
/// </summary>
public static class DigitSegmentationJob
{
    public static int Run(DigitSegmentationSettings settings, TextWriter stdout, TextWriter stderr)
    {
        string? problem = settings.Epochs < 1 || settings.BatchSize < 1 || settings.Train < 1 || settings.Test < 1 || !(settings.LearningRate > 0)
                          || !(settings.BackgroundWeight > 0) || settings.CheckpointEvery < 0
            ? "--epochs, --batch-size, --train and --test must be at least 1, --lr and --background-weight positive, --checkpoint-every 0 or more." : null;
        return ConsoleJob.Run(() => Train(settings, stdout), stderr, problem, settings.Output);
    }

    public static DigitSegmentationResult Train(DigitSegmentationSettings s, TextWriter stdout)
    {
        var (trainDir, testDir) = Canvases(s, stdout);
        var classes = ModelDsl.Data.DigitCanvases.SegmentationClasses;
        var gray = new DenseDatasetOptions { Channels = 1 };
        var trainSet = new SegmentationFolderDataset(trainDir, classes, gray);
        var testSet = new SegmentationFolderDataset(testDir, classes, gray);
        stdout.WriteLine($"data: {trainSet.Count} train and {testSet.Count} test canvases of {trainSet.Height}×{trainSet.Width}, {classes.Count} classes");

        // Outside the canvas is black, i.e. background: a shifted or rotated canvas's new border is labelled 0, not ignored.
        IPairedAugmentation? augmentation = s.Augment
            ? new PairedRandomAffine(10, (0.05, 0.05), (0.9, 1.1), seed: s.Seed, maskFill: 0)
            : null;
        var trainLoader = new SegmentationDataLoader(trainSet, s.BatchSize, shuffle: true, seed: s.Seed, workers: 1, device: CPU, augmentation: augmentation);
        var testLoader = new SegmentationDataLoader(testSet, 128, workers: 1, device: CPU);

        Seeding.Everything(s.Seed);
        using var model = new DigitSegNet();
        using var meanIoU = new MeanIoU(classes.Count);
        using var pixelAccuracy = new PixelAccuracy(classes.Count);
        using var dice = new DiceScore(classes.Count);
        // About 90% of a canvas is background: at weight 1 the ink's pixels, where the digits' identities are learnt,
        // are a tenth of the loss; weighting background down makes the ten digits most of it.
        var crossEntropy = Loss.PixelCrossEntropy([s.BackgroundWeight, .. Enumerable.Repeat(1.0, classes.Count - 1)]);
        var diceLoss = Loss.Dice();
        var loss = s.Dice ? Loss.Custom("pixel_cross_entropy+dice", (p, t) => crossEntropy.Compute(p, t) + diceLoss.Compute(p, t)) : crossEntropy;
        using var learner = new Learner(model, trainLoader, testLoader, new LearnerOptions
        {
            Loss = loss,
            Metrics = { meanIoU, pixelAccuracy, dice },
            Device = CPU,
            Seed = s.Seed,
            Writer = stdout,
            Callbacks = s.CheckpointEvery > 0 ? [new CheckpointEverySteps(s.CheckpointPath, s.CheckpointEvery)] : [],
        });
        var clock = Stopwatch.StartNew();
        // A killed run resumes from its last complete checkpoint: the loader's order, the paired augmentation's generators
        // and the position in the epoch come back with the weights, so it ends where the uninterrupted run ends.
        bool resume = s.Resume && File.Exists(s.CheckpointPath);
        if (resume) stdout.WriteLine($"resuming from {s.CheckpointPath}");
        var history = resume ? learner.Resume(s.CheckpointPath) : learner.FitOneCycle(s.Epochs, s.LearningRate);
        learner.ThrowIfFailed(); // a stopped fit never validated: there are no metrics to compute
        // A resumed run whose checkpoint was taken after the last epoch validated nothing here: validate the final weights.
        if (resume) learner.Validate();
        double trainSeconds = clock.Elapsed.TotalSeconds;

        // The last epoch's validation pass ran over the test canvases with the final weights: the metrics hold it.
        var result = new DigitSegmentationResult(meanIoU.Compute(), pixelAccuracy.Compute(), dice.Compute(), meanIoU.ComputePerClass(),
            pixelAccuracy.ComputePerClass(), trainSeconds, "", "");
        string outDir = Path.GetFullPath(s.Output);
        Directory.CreateDirectory(outDir);
        string grid = Path.Combine(outDir, "segmentation_grid.png");
        using (var scope = NewDisposeScope())
        using (var batch = testLoader.First())
        {
            var predicted = learner.Predict(batch.Inputs).argmax(1);
            Plots.SegmentationGrid(batch.Inputs, batch.Targets, predicted, grid, classes, maxImages: 8);
        }
        string metrics = Path.Combine(outDir, "metrics.json");
        File.WriteAllText(metrics, MetricsJson(result, classes, history, s));
        result = result with { MetricsPath = metrics, GridPath = grid };

        stdout.WriteLine($"test canvases: mean IoU {result.MeanIoU:F4} (background + 10 digits), pixel accuracy {result.PixelAccuracy:F4}, Dice {result.Dice:F4}; trained in {trainSeconds:F0} s");
        // The course's segmentation accuracy (SA) is TP / (TP + FP + FN): the per-class IoU. The second column is the share
        // of the class's pixels labelled right (its recall), a different number.
        stdout.WriteLine("class       IoU=SA  accuracy");
        for (int k = 0; k < classes.Count; k++)
            stdout.WriteLine($"{classes[k],-10}  {result.PerClassIoU[k]:F4}  {result.PerClassAccuracy[k]:F4}");
        stdout.WriteLine($"wrote {metrics} and {grid}");
        return result;
    }

    /// <summary>The canvases' train/ and test/ folders, written from the bundled MNIST subset unless already there.</summary>
    private static (string Train, string Test) Canvases(DigitSegmentationSettings s, TextWriter stdout)
        => ModelDsl.Data.DigitCanvases.WriteBundledUnlessPresent(s.Data, s.Train, s.Test, s.Seed, stdout);

    private static string MetricsJson(DigitSegmentationResult r, IReadOnlyList<string> classes, History history, DigitSegmentationSettings s)
    {
        static double? Finite(double v) => double.IsFinite(v) ? Math.Round(v, 6) : null;
        var json = new Dictionary<string, object?>
        {
            ["mean_iou"] = Finite(r.MeanIoU),
            ["pixel_accuracy"] = Finite(r.PixelAccuracy),
            ["dice"] = Finite(r.Dice),
            ["per_class"] = classes.Select((c, k) => new Dictionary<string, object?>
            {
                ["class"] = c,
                ["iou"] = Finite(r.PerClassIoU[k]),
                ["accuracy"] = Finite(r.PerClassAccuracy[k]),
            }).ToList(),
            ["train_seconds"] = Math.Round(r.TrainSeconds, 1),
            ["epochs"] = history.Select(e => new Dictionary<string, object?>
            {
                ["epoch"] = e.Epoch,
                ["train_loss"] = Finite(e.TrainLoss),
                ["valid_loss"] = Finite(e.ValidLoss),
            }).ToList(),
            ["settings"] = new Dictionary<string, object?>
            {
                ["epochs"] = s.Epochs, ["batch_size"] = s.BatchSize, ["lr"] = s.LearningRate, ["seed"] = s.Seed,
                ["augment"] = s.Augment, ["dice_loss"] = s.Dice, ["background_weight"] = s.BackgroundWeight,
            },
        };
        return JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true });
    }
}
