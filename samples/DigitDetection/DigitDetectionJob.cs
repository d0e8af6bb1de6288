using System.Diagnostics;
using System.Text.Json;
using ModelDsl.Data;
using ModelDsl.Detection;
using ModelDsl.Metrics;
using ModelDsl.Reports;
using ModelDsl.Training;
using static TorchSharp.torch;

namespace DigitDetection;

/// <param name="Data">Digit-canvas folder with train/ and test/ (written there first when train/images is missing).</param>
/// <param name="Train">Train canvases to write when the folder is made here.</param>
/// <param name="Test">Test canvases to write when the folder is made here.</param>
public sealed record DigitDetectionSettings(string Data, string Output, int Train = 4000, int Test = 1000, int Epochs = 8, int BatchSize = 32,
    double LearningRate = 1e-2, int Seed = 1);

/// <summary>What the run measured on the test canvases.</summary>
public sealed record DigitDetectionResult(double Map50, double Map, double Map75, IReadOnlyList<double> PerClassAp50, double Precision, double Recall,
    int TestImages, int Detections, double TrainSeconds, string MetricsPath, string DetectionsPath);

/// <summary>
/// Detection of real digits end to end: the digit-canvas dataset (<see cref="ModelDsl.Data.DigitCanvases"/>, train
/// canvases from MNIST's train split, test canvases from its test split), the train split read through its YOLO txt
/// labels and the test split through its COCO JSON (the two readers a user's data goes through), the two-head DSL
/// detector trained with <c>Learner.ForHeads</c> on the course's YOLO grid (8×8, one box per cell), and the test canvases judged by COCO mAP@0.5 and
/// mAP@0.5:0.95; the test detections go to detections.json in COCO's results format.
/// </summary>
public static class DigitDetectionJob
{
    /// <summary>Detections below this score are not kept for mAP (COCO keeps up to 100 per image whatever their score).</summary>
    public const double EvaluationMinScore = 0.01;

    /// <summary>The operating point of precision/recall and of the detection grid.</summary>
    public const double ReportScore = 0.5;

    public static int Run(DigitDetectionSettings settings, TextWriter stdout, TextWriter stderr)
    {
        string? problem = settings.Epochs < 1 || settings.BatchSize < 1 || settings.Train < 1 || settings.Test < 1 || !(settings.LearningRate > 0)
            ? "--epochs, --batch-size, --train and --test must be at least 1 and --lr positive." : null;
        return ConsoleJob.Run(() => Train(settings, stdout), stderr, problem, settings.Output);
    }

    public static DigitDetectionResult Train(DigitDetectionSettings s, TextWriter stdout)
    {
        var (trainSplit, testSplit) = Canvases(s, stdout);
        var gray = new DenseDatasetOptions { Channels = 1 };
        var trainSet = DetectionDataset.FromYolo(trainSplit, ModelDsl.Data.DigitCanvases.DetectionClasses, gray);
        string testImages = Path.Combine(testSplit, "images"), testCoco = Path.Combine(testSplit, "annotations.json");
        var testSet = DetectionDataset.FromCoco(testImages, testCoco, gray);
        var classes = testSet.ClassNames;
        stdout.WriteLine($"data: {trainSet.Count} train canvases (YOLO labels), {testSet.Count} test canvases (COCO JSON), {classes.Count} classes");

        var yolo = new DigitYolo(trainSet.Width);
        var trainLoader = new DetectionDataLoader(trainSet, s.BatchSize, shuffle: true, seed: s.Seed, workers: 1, device: CPU, targetEncoder: yolo.EncodeTargets);
        Seeding.Everything(s.Seed);
        using var model = new DigitDetectorNet();
        using var learner = Learner.ForHeads(model, trainLoader, null, new LearnerOptions
        {
            Loss = yolo.HeadsLoss(),
            Device = CPU,
            Seed = s.Seed,
            Writer = stdout,
        });
        var clock = Stopwatch.StartNew();
        var history = learner.FitOneCycle(s.Epochs, s.LearningRate);
        learner.ThrowIfFailed();
        double trainSeconds = clock.Elapsed.TotalSeconds;

        string outDir = Path.GetFullPath(s.Output);
        Directory.CreateDirectory(outDir);
        var result = Evaluate(learner, yolo, testSet, testImages, testCoco, outDir, trainSeconds);
        File.WriteAllText(result.MetricsPath, MetricsJson(result, classes, history, s));

        stdout.WriteLine($"test canvases: mAP@0.5 {result.Map50:F4}, mAP@0.5:0.95 {result.Map:F4}, mAP@0.75 {result.Map75:F4}; " +
                         $"at score ≥ {ReportScore}: precision {result.Precision:F4}, recall {result.Recall:F4}; trained in {trainSeconds:F0} s");
        stdout.WriteLine("AP@0.5 per digit: " + string.Join(", ", classes.Select((c, k) => $"{c} {result.PerClassAp50[k]:F3}")));
        stdout.WriteLine($"wrote {result.MetricsPath}, {result.DetectionsPath}, detection_grid.png and precision_recall.png to {outDir}");
        return result;
    }

    /// <summary>Decodes the test canvases, scores them against their COCO boxes, writes detections.json and the two PNGs.</summary>
    private static DigitDetectionResult Evaluate(Learner learner, DigitYolo yolo, DetectionDataset testSet, string testImages, string testCoco,
        string outDir, double trainSeconds)
    {
        var map = new MeanAveragePrecision(testSet.ClassNames.Count);
        var imageIds = CocoResults.ImageIds(testCoco);
        var categoryIds = CocoDetections.Read(testCoco, testImages).CategoryIds;
        var perImage = new List<(long ImageId, IReadOnlyList<ScoredBox> Boxes)>();
        var testLoader = new DetectionDataLoader(testSet, 128, workers: 1, device: CPU);
        int index = 0;
        bool drawn = false;
        foreach (var batch in testLoader)
        {
            using (batch)
            using (var scope = NewDisposeScope())
            {
                var heads = learner.PredictHeads<DigitDetectorNetOutput>(batch.Inputs);
                var predicted = yolo.Decode(heads.Classes, heads.Boxes, EvaluationMinScore);
                var (trueBoxes, trueClasses) = DetectionTargets.Unpack(batch.Targets);
                var truthLists = DetectionTargets.ToLists(trueBoxes, trueClasses);
                var truth = truthLists.Select(l => Detections.FromBoxes(l)).ToList();
                map.Update(predicted, truth);
                var scored = predicted.Select(d => (IReadOnlyList<ScoredBox>)d.ToScoredBoxes()).ToList();
                foreach (var boxesOfImage in scored)
                {
                    string file = Path.GetRelativePath(testImages, testSet.Labels(index++).ImagePath).Replace('\\', '/');
                    perImage.Add((imageIds[file], boxesOfImage));
                }
                if (!drawn)
                {
                    Plots.DetectionGrid(batch.Inputs, truthLists, scored, Path.Combine(outDir, "detection_grid.png"), testSet.ClassNames, maxImages: 16, minScore: ReportScore);
                    drawn = true;
                }
                foreach (var d in predicted.Concat(truth)) d.Dispose();
            }
        }
        var all = map.ComputeAll();
        var (precision, recall) = map.PrecisionRecall(0.5, ReportScore);
        Plots.PrecisionRecall(all.Curves, Path.Combine(outDir, "precision_recall.png"), testSet.ClassNames);
        string detections = Path.Combine(outDir, "detections.json");
        CocoResults.Write(detections, perImage, categoryIds);
        return new DigitDetectionResult(all.Map50, all.Map, all.Map75, all.PerClassMap50, precision, recall, perImage.Count,
            perImage.Sum(p => p.Boxes.Count), trainSeconds, Path.Combine(outDir, "metrics.json"), detections);
    }

    /// <summary>The canvases' train/ and test/ folders, written from the bundled MNIST subset unless already there.</summary>
    private static (string Train, string Test) Canvases(DigitDetectionSettings s, TextWriter stdout)
        => ModelDsl.Data.DigitCanvases.WriteBundledUnlessPresent(s.Data, s.Train, s.Test, s.Seed, stdout);

    private static string MetricsJson(DigitDetectionResult r, IReadOnlyList<string> classes, History history, DigitDetectionSettings s)
    {
        static double? Finite(double v) => double.IsFinite(v) ? Math.Round(v, 6) : null;
        var json = new Dictionary<string, object?>
        {
            ["map_50"] = Finite(r.Map50),
            ["map_50_95"] = Finite(r.Map),
            ["map_75"] = Finite(r.Map75),
            ["precision_at_score_0.5"] = Finite(r.Precision),
            ["recall_at_score_0.5"] = Finite(r.Recall),
            ["per_class_ap_50"] = classes.Select((c, k) => new Dictionary<string, object?> { ["class"] = c, ["ap_50"] = Finite(r.PerClassAp50[k]) }).ToList(),
            ["test_images"] = r.TestImages,
            ["detections"] = r.Detections,
            ["train_seconds"] = Math.Round(r.TrainSeconds, 1),
            ["epochs"] = history.Select(e => new Dictionary<string, object?> { ["epoch"] = e.Epoch, ["train_loss"] = Finite(e.TrainLoss) }).ToList(),
            ["settings"] = new Dictionary<string, object?> { ["epochs"] = s.Epochs, ["batch_size"] = s.BatchSize, ["lr"] = s.LearningRate, ["seed"] = s.Seed },
        };
        return JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true });
    }
}
