using ModelDsl.Augmentation;
using ModelDsl.Data;
using ModelDsl.Metrics;
using ModelDsl.Reports;
using ModelDsl.Samples;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Cifar10;

/// <summary>
/// The command line, parsed. <see cref="Data"/>: a folder with CIFAR-10's binary batches (or its
/// cifar-10-batches-bin/); null = download into <see cref="Cache"/>. <see cref="Mirror"/> replaces the
/// download's base URL; <see cref="Limit"/> caps the training images (null = all 50,000).
/// </summary>
public sealed record Cifar10Settings(string? Data, string Cache, string OutputDirectory, int Epochs = 10, int BatchSize = 64,
    double LearningRate = 3e-3, int Seed = 42, int? Limit = null, Uri? Mirror = null)
{
    public static string DefaultCache => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create) is { Length: > 0 } local
            ? local : Path.GetTempPath(),
        "modeldsl", "cifar10");
}

/// <summary>
/// The course's CifarCNN on CIFAR-10 with random crop (32, padding 4) + horizontal flip + normalize,
/// one-cycle AdamW, then the test report, a confusion-matrix PNG and a checkpoint in --out.
/// Exit codes: 0 trained, 1 data unavailable or unreadable (offline: the downloader's message).
/// </summary>
public static class Cifar10Job
{
    /// <summary>CIFAR-10's per-channel training-set mean and standard deviation (as the course normalises).</summary>
    public static readonly double[] Mean = [0.4914, 0.4822, 0.4465];
    public static readonly double[] Std = [0.2470, 0.2435, 0.2616];

    public static int Run(Cifar10Settings settings, TextWriter console, TextWriter errors)
        => ConsoleJob.Run(() => RunOrThrow(settings, console), errors, outputDirectory: settings.OutputDirectory);

    private static void RunOrThrow(Cifar10Settings settings, TextWriter console)
    {
        string folder = Locate(settings, console);
        using var fullTrain = Cifar10Dataset.Load(folder, train: true);
        using var testSet = Cifar10Dataset.Load(folder, train: false);
        var classNames = fullTrain.ClassNames;
        using var trainSet = settings.Limit is int n && n < fullTrain.Count
            ? new TensorDataset(fullTrain.Images.slice(0, 0, n, 1).clone(), fullTrain.Labels.slice(0, 0, n, 1).clone(), classNames)
            : null;
        IDataset train = (IDataset?)trainSet ?? fullTrain;
        console.WriteLine($"data: CIFAR-10 ({folder}): {train.Count:N0} train, {testSet.Count:N0} test images");

        torch.manual_seed(settings.Seed);
        var normalize = new Normalize(Mean, Std);
        var augment = new Compose(new RandomCrop(32, padding: 4, seed: settings.Seed), new RandomHorizontalFlip(seed: settings.Seed + 1), normalize);
        using var trainLoader = new DataLoader(train, settings.BatchSize, shuffle: true, seed: settings.Seed, device: CPU, augmentation: augment);
        using var testLoader = new DataLoader(testSet, 256, device: CPU, augmentation: normalize);

        using var model = new CifarCnn();
        console.WriteLine(CifarCnn.Summary);
        using var accuracy = new Accuracy(10);
        using var learner = new Learner(model, trainLoader, testLoader, new LearnerOptions
        {
            Loss = Loss.CrossEntropy(),
            Optimizer = OptimizerSpec.AdamW(weightDecay: 0.01),
            Metrics = { accuracy },
            Device = CPU,
            Seed = settings.Seed,
            Writer = console,
        });
        learner.FitOneCycle(settings.Epochs, settings.LearningRate);
        learner.ThrowIfFailed();

        string outDir = Path.GetFullPath(settings.OutputDirectory);
        Directory.CreateDirectory(outDir);
        var (logits, targets) = learner.GetPredictions(testLoader);
        using (logits)
        using (targets)
        using (var report = new ClassificationReport(classNames))
        {
            report.Update(logits, targets);
            var result = report.Compute();
            console.WriteLine();
            console.WriteLine($"test accuracy: {result.Accuracy:F4}");
            console.WriteLine();
            console.WriteLine(result.ToString());
            File.WriteAllText(Path.Combine(outDir, "metrics.json"), result.ToJson());
            Plots.ConfusionMatrix(result.ConfusionMatrix!, classNames, Path.Combine(outDir, "confusion_matrix.png"));
        }
        learner.SaveCheckpoint(Path.Combine(outDir, "checkpoint.bin"));
        console.WriteLine($"wrote confusion_matrix.png, metrics.json and checkpoint.bin to {outDir}");
    }

    /// <summary>--data (the folder or its cifar-10-batches-bin/), else the cache, downloading into it when needed.</summary>
    private static string Locate(Cifar10Settings settings, TextWriter console)
    {
        if (settings.Data is not null)
        {
            string dir = Path.GetFullPath(settings.Data);
            foreach (var candidate in new[] { dir, Path.Combine(dir, "cifar-10-batches-bin") })
                if (File.Exists(Path.Combine(candidate, "data_batch_1.bin"))) return candidate;
            throw new InvalidDataException($"--data {dir}: no CIFAR-10 binary batches (data_batch_1.bin … data_batch_5.bin, test_batch.bin) there or in cifar-10-batches-bin/.");
        }
        string cache = Path.GetFullPath(settings.Cache);
        var source = settings.Mirror is null ? DatasetSource.Cifar10 : DatasetSource.Cifar10.WithBaseUrl(settings.Mirror);
        console.WriteLine($"no --data: using the cache {cache} (downloading CIFAR-10, 163 MB, from {source.BaseUrl} if it is not there yet)");
        using var downloader = new DatasetDownloader(timeout: TimeSpan.FromMinutes(30));
        return downloader.DownloadCifar10Async(cache, source).GetAwaiter().GetResult();
    }
}
