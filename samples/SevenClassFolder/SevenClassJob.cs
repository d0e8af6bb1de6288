using ModelDsl.Augmentation;
using ModelDsl.Data;
using ModelDsl.Metrics;
using ModelDsl.Samples;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SevenClassFolder;

/// <summary>The command line, parsed.</summary>
public sealed record SevenClassSettings(string? Data, int Epochs = 5, int BatchSize = 32, double LearningRate = 1e-3, int Seed = 42, int Workers = 1);

/// <summary>
/// The course's 7-class classifier (<see cref="SevenClassNet"/>, 3×64×64 → 7, or as many classes as the folder has) trained on an ImageFolder
/// root, then the per-class precision (and recall, F1) of the test split. Returns the process exit code:
/// 0 trained, 1 unreadable data, 2 no --data given.
/// </summary>
public static class SevenClassJob
{
    public const int ClassCount = 7;

    public static string LayoutHelp =>
        "SevenClassFolder needs --data DIR, an ImageFolder root with one folder per class under train/ and test/:\n" +
        "  DIR/train/<class 1>/*.png|jpg … DIR/train/<class 7>/*.png|jpg\n" +
        "  DIR/test/<class 1>/*.png|jpg  … DIR/test/<class 7>/*.png|jpg\n" +
        $"with the same class names in both splits — the course's {ClassCount}, or any count from 2: SevenClassNet(numClasses) sizes its classifier\n" +
        "(sorted by name; images of any size are resized to 64×64 RGB).\n" +
        "No 7-class dataset ships with ModelDsl: point --data at the course's data set (or any 7-class folder).";

    public static int Run(SevenClassSettings settings, TextWriter console, TextWriter errors)
    {
        if (settings.Data is null)
        {
            errors.WriteLine(LayoutHelp);
            return 2;
        }
        return ConsoleJob.Run(() => RunOrThrow(settings, console), errors);
    }

    private static void RunOrThrow(SevenClassSettings settings, TextWriter console)
    {
        string root = Path.GetFullPath(settings.Data!);
        string trainDir = Path.Combine(root, "train"), testDir = Path.Combine(root, "test");
        if (!Directory.Exists(trainDir) || !Directory.Exists(testDir))
            throw new DirectoryNotFoundException($"--data {root}: no train/ and test/ folders.\n{LayoutHelp}");

        var options = new ImageFolderOptions { Channels = 3, Height = 64, Width = 64 };
        var trainSet = new ImageFolderDataset(trainDir, options);
        var testSet = new ImageFolderDataset(testDir, options);
        var classNames = trainSet.ClassNames;
        if (classNames.Count < 2)
            throw new InvalidDataException($"--data {root}: train/ has {classNames.Count} class folder(s) [{string.Join(", ", classNames)}]; a classifier needs at least 2.");
        if (!classNames.SequenceEqual(testSet.ClassNames))
            throw new InvalidDataException($"--data {root}: train/ has classes [{string.Join(", ", classNames)}] but test/ has [{string.Join(", ", testSet.ClassNames)}].");
        console.WriteLine($"data: {root}: {trainSet.Count:N0} train, {testSet.Count:N0} test images; classes: {string.Join(", ", classNames)}");

        torch.manual_seed(settings.Seed);
        var stats = ChannelStats.Compute(trainSet, workers: settings.Workers);
        // A channel that never varies in the training images (a red channel in a black/blue/cyan folder) has std 0: it is
        // scaled by one grey level (1/255) instead, as it carries nothing to normalise.
        var normalize = new Normalize(stats.Mean, stats.Std.Select(s => Math.Max(s, 1f / 255)).ToArray());
        var augment = new Compose(new RandomHorizontalFlip(seed: settings.Seed), normalize);
        using var train = new DataLoader(trainSet, settings.BatchSize, shuffle: true, seed: settings.Seed, workers: settings.Workers, device: CPU, augmentation: augment);
        using var test = new DataLoader(testSet, 64, workers: settings.Workers, device: CPU, augmentation: normalize);

        // The course's Net(num_classes): the classifier sized by the folder's classes at run time.
        using var model = new SevenClassNet(numClasses: classNames.Count);
        console.WriteLine(SevenClassNet.Summary);
        if (classNames.Count != ClassCount)
            console.WriteLine($"(built for {classNames.Count} classes: {classNames.Count} outputs, {SevenClassNet.ParameterCountFor(classNames.Count):N0} parameters)");
        using var accuracy = new Accuracy(classNames.Count);
        using var learner = new Learner(model, train, test, new LearnerOptions
        {
            Loss = Loss.CrossEntropy(),
            Optimizer = OptimizerSpec.Adam(),
            Metrics = { accuracy },
            Device = CPU,
            Seed = settings.Seed,
            Writer = console,
        });
        learner.Fit(settings.Epochs, settings.LearningRate);
        learner.ThrowIfFailed();

        var (logits, targets) = learner.GetPredictions(test);
        using (logits)
        using (targets)
        using (var report = new ClassificationReport(classNames))
        {
            report.Update(logits, targets);
            var result = report.Compute();
            console.WriteLine();
            console.WriteLine("per-class precision (of the test images predicted as the class, the share that are):");
            foreach (var row in result.Rows)
                console.WriteLine($"  {row.ClassName,-16} {row.Precision:F4}  ({row.Support} test images)");
            console.WriteLine();
            console.WriteLine(result.ToString());
        }
    }
}
