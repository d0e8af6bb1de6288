using System.Diagnostics;
using System.Globalization;
using ModelDsl;
using ModelDsl.Data;
using ModelDsl.Metrics;
using ModelDsl.Reports;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Localization;

/// <summary>The command line, parsed.</summary>
public sealed record LocalizationSettings(int TrainCanvases = 8000, int TestCanvases = 2000, int ClassifierEpochs = 4, int BoxEpochs = 2,
    int BatchSize = 32, double ClassifierLr = 2e-3, double BoxLr = 5e-3, int Seed = 42, string OutputDirectory = "out-localization")
{
    /// <summary>What is wrong with the settings, naming the option, or null.</summary>
    public string? Validate()
    {
        if (TrainCanvases < 1) return $"--train must be at least 1; got {TrainCanvases}.";
        if (TestCanvases < 1) return $"--test must be at least 1; got {TestCanvases}.";
        if (ClassifierEpochs < 1) return $"--classifier-epochs must be at least 1; got {ClassifierEpochs}.";
        if (BoxEpochs < 1) return $"--box-epochs must be at least 1; got {BoxEpochs}.";
        if (BatchSize < 2) return $"--batch-size must be at least 2; got {BatchSize}.";
        if (!(ClassifierLr > 0) || !double.IsFinite(ClassifierLr)) return $"--lr must be finite and > 0; got {ClassifierLr.ToString(CultureInfo.InvariantCulture)}.";
        if (!(BoxLr > 0) || !double.IsFinite(BoxLr)) return $"--box-lr must be finite and > 0; got {BoxLr.ToString(CultureInfo.InvariantCulture)}.";
        if (string.IsNullOrWhiteSpace(OutputDirectory)) return "--out must name a folder.";
        return null;
    }
}

/// <summary>
/// The course's figures on the test canvases: the share with the right digit, the mean IoU of the box, the share with IoU ≥ ½,
/// and localisation accuracy — the share with the right digit AND IoU ≥ ½.
/// </summary>
public sealed record LocalizationScores(double ClassAccuracy, double MeanIoU, double IoUAtLeastHalf, double LocalizationAccuracy);

/// <summary>
/// What the run measured: the model's scores, those of the constant box (the mean training box, with the model's digits), the
/// largest change of any weight of each stage during phase 2 (the backbone and the class head frozen: 0), and the figure's path.
/// </summary>
public sealed record LocalizationResult(LocalizationScores Model, LocalizationScores ConstantBox, IReadOnlyDictionary<string, double> Phase2Change, string FigurePath);

/// <summary>
/// Overfeat's localisation, as the course defines it, on canvases holding one MNIST digit at a random scale and position
/// (<see cref="SingleDigitCanvases"/>): <see cref="LocalizerNet"/> is first trained as a classifier (cross-entropy on its Classes
/// head; the Box head frozen), then its backbone and class head are frozen and the Box head alone is trained to regress the
/// digit's box, normalised to [0, 1], with an L2 (MSE) loss.
/// </summary>
public static class LocalizationJob
{
    private const int EvalBatch = 250;

    public static int Run(LocalizationSettings settings, TextWriter console, TextWriter errors)
        => ConsoleJob.Run(() => Measure(settings, console), errors, settings.Validate());

    public static LocalizationResult Measure(LocalizationSettings settings, TextWriter console)
    {
        if (settings.Validate() is { } problem) throw new ArgumentException(problem, nameof(settings));
        var clock = Stopwatch.StartNew();
        TensorDataset train, test;
        using (var trainDigits = BundledData.LoadMnist(train: true))
        using (var testDigits = BundledData.LoadMnist(train: false))
        {
            train = SingleDigitCanvases.Make(trainDigits, settings.TrainCanvases, settings.Seed);
            test = SingleDigitCanvases.Make(testDigits, settings.TestCanvases, unchecked(settings.Seed + 1));
        }
        using var trainSet = train;
        using var testSet = test;
        console.WriteLine($"data: {train.Count:N0} train and {test.Count:N0} test canvases of 64×64, one bundled MNIST digit each (24–48 px patch), made in {clock.Elapsed.TotalSeconds:F1} s");

        torch.manual_seed(settings.Seed);
        using var model = new LocalizerNet();
        console.WriteLine($"model: LocalizerNet, {LocalizerNet.ParameterCount:N0} parameters; heads Classes {LocalizerNet.ClassesShape}, Box {LocalizerNet.BoxShape}");
        using var trainLoader = new DataLoader(train, settings.BatchSize, shuffle: true, seed: settings.Seed);
        using var testLoader = new DataLoader(test, EvalBatch);

        // Phase 1: the classifier. The box head is frozen: the loss does not see it.
        console.WriteLine();
        console.WriteLine($"phase 1: classifier (cross-entropy on Classes; Box frozen), {settings.ClassifierEpochs} epochs of one-cycle Adam, peak {Invariant(settings.ClassifierLr)}");
        clock.Restart();
        var classification = Loss.ForHeads("cross_entropy(Classes)", (output, targets) =>
            nn.functional.cross_entropy(output.Head("Classes"), targets[.., 0].to_type(ScalarType.Int64)));
        using (var learner = Learner.ForHeads(model, trainLoader, testLoader, Options(classification, settings, console)))
        {
            learner.Freeze("Box");
            learner.FitOneCycle(settings.ClassifierEpochs, settings.ClassifierLr);
            learner.ThrowIfFailed();
            learner.Unfreeze();
        }
        console.WriteLine($"phase 1 took {clock.Elapsed.TotalSeconds:F1} s");

        // Phase 2: the backbone (and the class head) frozen; the box head regresses the normalised box with an L2 loss.
        console.WriteLine();
        console.WriteLine($"phase 2: box regression (MSE on Box, normalised x1 y1 x2 y2; Backbone and Classes frozen), {settings.BoxEpochs} epochs of one-cycle Adam, peak {Invariant(settings.BoxLr)}");
        clock.Restart();
        var before = Snapshot(model);
        var regression = Loss.ForHeads("mse(Box)", (output, targets) => nn.functional.mse_loss(output.Head("Box"), targets[.., 1..5]));
        using (var learner = Learner.ForHeads(model, trainLoader, testLoader, Options(regression, settings, console)))
        {
            learner.Freeze("Backbone", "Classes");
            learner.FitOneCycle(settings.BoxEpochs, settings.BoxLr);
            learner.ThrowIfFailed();
            learner.Unfreeze();
        }
        var change = Changes(model, before);
        foreach (var t in before.Values) t.Dispose();
        console.WriteLine($"phase 2 took {clock.Elapsed.TotalSeconds:F1} s; largest weight change per stage: " +
            string.Join(", ", change.Select(c => $"{c.Key} {c.Value.ToString("G3", CultureInfo.InvariantCulture)}")));

        // The figures on the test canvases, and those of the constant box: the mean training box, with the model's digits.
        model.eval();
        var (classes, confidence, boxes) = Predict(model, test.Images);
        using (classes)
        using (confidence)
        using (boxes)
        using (var scope = NewDisposeScope())
        {
            var truth = test.Labels;
            var meanBox = train.Labels[.., 1..5].mean(new long[] { 0 }, keepdim: true);
            var scores = Scores(classes, boxes, truth);
            var constant = Scores(classes, meanBox.expand(truth.shape[0], 4), truth);
            var m = meanBox.mul(64).data<float>().ToArray();
            console.WriteLine();
            console.WriteLine($"test canvases ({test.Count:N0}):           class accuracy  mean IoU  IoU ≥ 0.5  localisation accuracy (right digit and IoU ≥ 0.5)");
            console.WriteLine(Row("LocalizerNet", scores));
            console.WriteLine(Row("constant box (train mean)", constant));
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(the mean training box: x1 {m[0]:F1}, y1 {m[1]:F1}, x2 {m[2]:F1}, y2 {m[3]:F1} px)"));

            string path = Path.Combine(settings.OutputDirectory, "localization.png");
            Figure(test.Images, truth, classes, confidence, boxes, path);
            console.WriteLine();
            console.WriteLine($"wrote {path} (the first 12 test canvases: true box green, predicted box in the digit's colour with its confidence)");
            return new LocalizationResult(scores, constant, change, path);
        }
    }

    private static LearnerOptions Options(Loss loss, LocalizationSettings settings, TextWriter console) => new()
    {
        Loss = loss,
        Optimizer = OptimizerSpec.Adam(),
        Device = CPU,
        Seed = settings.Seed,
        Writer = console,
    };

    /// <summary>The model's digit, its softmax confidence and its box (normalised) for every image, in eval batches without gradients.</summary>
    private static (Tensor Classes, Tensor Confidence, Tensor Boxes) Predict(LocalizerNet model, Tensor images)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var classes = new List<Tensor>();
        var confidence = new List<Tensor>();
        var boxes = new List<Tensor>();
        long n = images.shape[0];
        for (long start = 0; start < n; start += EvalBatch)
        {
            var output = model.forward(images.slice(0, start, Math.Min(n, start + EvalBatch), 1));
            var (top, index) = nn.functional.softmax(output.Classes, 1).max(1);
            classes.Add(index);
            confidence.Add(top);
            boxes.Add(output.Box);
        }
        return (cat(classes, 0).MoveToOuterDisposeScope(), cat(confidence, 0).MoveToOuterDisposeScope(), cat(boxes, 0).MoveToOuterDisposeScope());
    }

    /// <summary>The course's figures for predicted digits and boxes (normalised) against the targets (digit, box).</summary>
    private static LocalizationScores Scores(Tensor classes, Tensor boxes, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var right = classes.eq(targets[.., 0].to_type(ScalarType.Int64));
        var iou = BoxIoU.Paired(boxes, targets[.., 1..5]);
        var half = iou.ge(0.5);
        double Mean(Tensor t) => t.to_type(ScalarType.Float64).mean().item<double>();
        return new LocalizationScores(Mean(right), Mean(iou), Mean(half), Mean(right.logical_and(half)));
    }

    private static void Figure(Tensor images, Tensor targets, Tensor classes, Tensor confidence, Tensor boxes, string path)
    {
        using var scope = NewDisposeScope();
        int n = (int)Math.Min(12, images.shape[0]);
        var t = targets.slice(0, 0, n, 1).contiguous().data<float>().ToArray();
        var b = boxes.slice(0, 0, n, 1).mul(64).contiguous().data<float>().ToArray();
        var c = classes.slice(0, 0, n, 1).contiguous().data<long>().ToArray();
        var p = confidence.slice(0, 0, n, 1).contiguous().data<float>().ToArray();
        var truth = new List<IReadOnlyList<LabeledBox>>();
        var predicted = new List<IReadOnlyList<ScoredBox>>();
        for (int i = 0; i < n; i++)
        {
            truth.Add([new LabeledBox((int)t[i * 5], t[i * 5 + 1] * 64, t[i * 5 + 2] * 64, t[i * 5 + 3] * 64, t[i * 5 + 4] * 64)]);
            predicted.Add([new ScoredBox(new LabeledBox((int)c[i], b[i * 4], b[i * 4 + 1], b[i * 4 + 2], b[i * 4 + 3]), p[i])]);
        }
        Plots.DetectionGrid(images.slice(0, 0, n, 1), truth, predicted, path, DigitCanvases.DetectionClasses, maxImages: n, cellSize: 160);
    }

    /// <summary>A copy of every parameter, by name.</summary>
    private static Dictionary<string, Tensor> Snapshot(LocalizerNet model) =>
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone().DetachFromDisposeScope());

    /// <summary>The largest |after − before| of any weight, per stage (the name's first part).</summary>
    private static Dictionary<string, double> Changes(LocalizerNet model, Dictionary<string, Tensor> before)
    {
        using var scope = NewDisposeScope();
        var change = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, p) in model.named_parameters())
        {
            string stage = name.Split('.')[0];
            double d = (p.detach() - before[name]).abs().max().item<float>();
            change[stage] = Math.Max(change.GetValueOrDefault(stage), d);
        }
        return change;
    }

    private static string Row(string what, LocalizationScores s) =>
        string.Create(CultureInfo.InvariantCulture, $"{what,-30}  {s.ClassAccuracy,14:F4}  {s.MeanIoU,8:F4}  {s.IoUAtLeastHalf,9:F4}  {s.LocalizationAccuracy,21:F4}");

    private static string Invariant(double v) => v.ToString(CultureInfo.InvariantCulture);
}
