using ModelDsl.Augmentation;
using ModelDsl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistDigits;

/// <summary>
/// What <c>--data</c> points at decides the datasets, the model and the augmentation: MNIST IDX files
/// → <see cref="DigitNet"/>; CIFAR-10 binary batches → <see cref="CifarNet"/>; an ImageFolder root with
/// train/ (and test/, valid/ or val/, or a split held out of train/) → a <see cref="FolderNet"/> chosen from the
/// data plus a head for its classes. <see cref="Choices"/> holds one line per data-derived default and why.
/// </summary>
public sealed record DataChoice(string Description, IDataset Train, IDataset Test, Func<nn.Module<Tensor, Tensor>> CreateModel, Func<long, IAugmentation[]> TrainAugmentation,
    IReadOnlyList<string>? Choices = null)
{
    public static DataChoice From(JobSettings settings)
    {
        if (settings.Data is null)
            return Mnist($"bundled MNIST subset ({BundledData.MnistDirectory})", BundledData.LoadMnist(train: true), BundledData.LoadMnist(train: false));

        string dir = Path.GetFullPath(settings.Data);
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"--data {dir}: no such folder.");
        if (HasAny(dir, "train-images-idx3-ubyte", "train-images-idx3-ubyte.gz"))
            return Mnist($"MNIST ({dir})", MnistDataset.Load(dir, train: true), MnistDataset.Load(dir, train: false));
        foreach (var cifar in new[] { dir, Path.Combine(dir, "cifar-10-batches-bin") })
            if (File.Exists(Path.Combine(cifar, "data_batch_1.bin")))
                return new DataChoice($"CIFAR-10 ({cifar})", Cifar10Dataset.Load(cifar, train: true), Cifar10Dataset.Load(cifar, train: false),
                    () => new CifarNet(),
                    s => new IAugmentation[] { new RandomCrop(32, padding: 4, seed: s), new RandomHorizontalFlip(seed: s + 1) });
        if (Directory.Exists(Path.Combine(dir, "train")))
            return ImageFolder(dir, settings);
        throw new InvalidDataException(
            $"--data {dir}: found neither MNIST (train-images-idx3-ubyte[.gz]), CIFAR-10 (data_batch_1.bin, or cifar-10-batches-bin/) nor an ImageFolder root (train/ class folders, with or without test/).");
    }

    /// <summary>Split folders taken as the test set, in this order (fastai's layouts use valid/).</summary>
    private static readonly string[] TestFolderNames = ["test", "valid", "val"];

    private static DataChoice ImageFolder(string dir, JobSettings settings)
    {
        var folder = settings.Folder;
        string trainDir = Path.Combine(dir, "train");
        string? testDir = TestFolderNames.Select(n => Path.Combine(dir, n)).FirstOrDefault(Directory.Exists);
        // Listing only (an explicit size decodes nothing): the survey needs the files before the channels and size are known.
        var listing = new ImageFolderOptions { Channels = 3, Height = 1, Width = 1 };
        var trainListing = new ImageFolderDataset(trainDir, listing);
        if (trainListing.ClassNames.Count < 2)
            throw new InvalidDataException($"--data {dir}: found {trainListing.ClassNames.Count} class{(trainListing.ClassNames.Count == 1 ? $" ({trainListing.ClassNames[0]})" : "es")} in train/; a classifier needs at least 2 (one folder of images per class).");
        var files = Files(trainListing);
        if (testDir is not null) files.AddRange(Files(new ImageFolderDataset(testDir, listing)));
        var survey = ImageSurvey.Scan(files);

        var channels = FolderDefaults.Channels(survey, folder);
        var size = FolderDefaults.Size(survey, folder);
        var net = FolderNet.For(channels.Value, size.Value);
        var augmentation = FolderDefaults.Augmentation(folder);
        var options = new ImageFolderOptions { Channels = channels.Value, Height = size.Value, Width = size.Value };
        var trainAll = new ImageFolderDataset(trainDir, options);

        IDataset train, test;
        string validation;
        if (testDir is not null)
        {
            var testSet = new ImageFolderDataset(testDir, options);
            if (!trainAll.ClassNames.SequenceEqual(testSet.ClassNames))
                throw new InvalidDataException($"--data {dir}: train/ has classes [{string.Join(", ", trainAll.ClassNames)}] but {Path.GetFileName(testDir)}/ has [{string.Join(", ", testSet.ClassNames)}].");
            (train, test) = (trainAll, testSet);
            validation = $"validation: {Path.GetFileName(testDir)}/ ({testSet.Count:N0} images)" + (folder.ValidFraction is null ? "" : "; --valid-pct ignored, it applies only without one");
        }
        else
        {
            double fraction = folder.ValidFraction ?? FolderDefaults.ValidFraction;
            var (kept, heldOut) = StratifiedSplit.Split(trainAll, fraction, settings.Seed);
            (train, test) = (kept, heldOut);
            validation = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"validation: {heldOut.Count:N0} of train/'s {trainAll.Count:N0} images held out ({fraction * 100:0.#}%, stratified by class, seed {settings.Seed}) — no test/ folder{(folder.ValidFraction is null ? " (--valid-pct to change)" : "")}");
        }
        string stretch = survey.MedianWidth == survey.MedianHeight ? "" : "; stretched to a square, aspect not kept";
        var choices = new[] { channels.Reason, $"{size.Reason}{stretch}; net {net.Name}", augmentation.Reason, validation };
        int classes = trainAll.ClassNames.Count;
        return new DataChoice($"ImageFolder ({dir}, {classes} classes)", train, test, () => new ImageFolderClassifier(classes, net), augmentation.Value, choices);
    }

    private static List<string> Files(ImageFolderDataset folder) => Enumerable.Range(0, folder.Count).Select(i => folder.Sample(i).Path).ToList();

    private static DataChoice Mnist(string description, IDataset train, IDataset test)
        => new(description, train, test, () => new DigitNet(),
            // Small affine jitter: digits stay digits, and 8,000 samples go further.
            s => new IAugmentation[] { new RandomAffine(degrees: 10, translate: (0.1, 0.1), scale: (0.9, 1.1), seed: s) });

    private static bool HasAny(string dir, params string[] names) => names.Any(n => File.Exists(Path.Combine(dir, n)));
}
