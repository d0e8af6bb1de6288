using ModelDsl.Data;
using ModelDsl.Metrics;
using ModelDsl.Training;
using ModelDsl.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace FineTune;

/// <summary>The command line, parsed.</summary>
public sealed record FineTuneSettings(int PerClass = 40, int SourceEpochs = 3, int Epochs = 6, int Seed = 42, int Size = 64);

/// <summary>What the job measured: the source task's test accuracy, and the target task's with fine-tuning and from scratch.</summary>
public sealed record FineTuneResult(double SourceAccuracy, double FineTunedAccuracy, double ScratchAccuracy);

/// <summary>
/// Source task: the bundled MNIST digits 0–4 as RGB images (3×64×64), all of them. Target task: digits 5–9 (relabelled 0–4),
/// <see cref="FineTuneSettings.PerClass"/> training images per class, tested on every 5–9 digit of the test split. The zoo's
/// ShuffleNetV2X0_5 learns the source task; its backbone under a new head is fine-tuned on the target task
/// (<see cref="Learner.FineTune"/>: the head alone for one epoch, then everything with discriminative rates), and the same net
/// from random weights is trained on the target task for as many epochs (<see cref="FineTuneSettings.Epochs"/> + 1).
/// </summary>
public static class FineTuneJob
{
    public static int Run(FineTuneSettings settings, TextWriter console)
    {
        var result = Measure(settings, console);
        console.WriteLine();
        console.WriteLine($"digits 0–4, trained on all {result.SourceAccuracy:P1} test accuracy");
        console.WriteLine($"digits 5–9 from {settings.PerClass} images per class: fine-tuned {result.FineTunedAccuracy:P1}, from scratch {result.ScratchAccuracy:P1}");
        return 0;
    }

    public static FineTuneResult Measure(FineTuneSettings settings, TextWriter console)
    {
        torch.manual_seed(settings.Seed);
        using var trainDigits = BundledData.LoadMnist(train: true);
        using var testDigits = BundledData.LoadMnist(train: false);
        using var sourceTrain = Task(trainDigits, 0, perClass: null, settings);
        using var sourceTest = Task(testDigits, 0, perClass: null, settings);
        using var targetTrain = Task(trainDigits, 5, settings.PerClass, settings);
        using var targetTest = Task(testDigits, 5, perClass: null, settings);
        console.WriteLine($"source task (digits 0–4): {sourceTrain.Count:N0} train, {sourceTest.Count:N0} test; target task (digits 5–9): {targetTrain.Count:N0} train, {targetTest.Count:N0} test; {settings.Size}×{settings.Size} RGB");

        // 1. The source task.
        using var source = new ShuffleNetV2X0_5(numClasses: 5);
        double sourceAccuracy = Train(source, sourceTrain, sourceTest, settings, console, "digits 0–4", l => l.FitOneCycle(settings.SourceEpochs, 1e-2));

        // 2. Its backbone under a new head, fine-tuned on the target task.
        using var transferred = ZooFineTuning.WithNewHead(source, 5);
        double fineTuned = Train(transferred, targetTrain, targetTest, settings, console, "digits 5–9, fine-tuned", l => l.FineTune(settings.Epochs, baseLr: 2e-2, lrMult: 10));

        // 3. The same net from random weights, as many epochs at the fine-tuning rate.
        torch.manual_seed(settings.Seed);
        using var scratch = new ShuffleNetV2X0_5(numClasses: 5);
        double fromScratch = Train(scratch, targetTrain, targetTest, settings, console, "digits 5–9, from scratch", l => l.FitOneCycle(settings.Epochs + 1, 2e-2));
        return new FineTuneResult(sourceAccuracy, fineTuned, fromScratch);
    }

    private static double Train(ShuffleNetV2X0_5 model, TensorDataset train, TensorDataset test, FineTuneSettings settings, TextWriter console, string title, Action<Learner> fit)
    {
        console.WriteLine();
        console.WriteLine(title);
        using var trainLoader = new DataLoader(train, 32, shuffle: true, seed: settings.Seed, device: CPU);
        using var testLoader = new DataLoader(test, 128, device: CPU);
        using var accuracy = new Accuracy(5);
        using var learner = new Learner(model, trainLoader, testLoader, new LearnerOptions
        {
            Loss = Loss.CrossEntropy(),
            Metrics = { accuracy },
            Device = CPU,
            Seed = settings.Seed,
            Writer = console,
        });
        fit(learner);
        learner.ThrowIfFailed();
        var (_, metrics) = learner.Validate();
        return metrics.Single(m => m.Key == accuracy.Name).Value;
    }

    /// <summary>Digits first … first + 4 of <paramref name="digits"/> (relabelled 0–4; at most <paramref name="perClass"/> each), as RGB float images of the job's size.</summary>
    private static TensorDataset Task(TensorDataset digits, int first, int? perClass, FineTuneSettings settings)
    {
        using var scope = NewDisposeScope();
        var labels = digits.Labels;
        var keep = new List<long>();
        var counts = new int[5];
        // A few examples per class: a seeded random sample of them, not the file's first.
        IEnumerable<int> order = Enumerable.Range(0, digits.Count);
        if (perClass is not null)
        {
            var random = new Random(settings.Seed);
            order = order.OrderBy(_ => random.Next()).ToList();
        }
        var all = labels.data<long>().ToArray();
        foreach (int i in order)
        {
            long digit = all[i] - first;
            if (digit < 0 || digit > 4 || perClass is { } most && counts[digit] >= most) continue;
            counts[digit]++;
            keep.Add(i);
        }
        keep.Sort();
        var index = tensor(keep.ToArray());
        var images = digits.Images.index_select(0, index).to_type(ScalarType.Float32).div_(255);
        images = nn.functional.interpolate(images, new long[] { settings.Size, settings.Size }, mode: InterpolationMode.Bilinear, align_corners: false).expand(-1, 3, -1, -1).contiguous();
        var targets = labels.index_select(0, index) - first;
        // The dataset owns its tensors: out of this scope, which would dispose them.
        images.DetachFromDisposeScope();
        targets.DetachFromDisposeScope();
        scope.Dispose();
        return new TensorDataset(images, targets, new[] { $"{first}", $"{first + 1}", $"{first + 2}", $"{first + 3}", $"{first + 4}" });
    }
}
