using ModelDsl.Augmentation;
using ModelDsl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistDigits;

/// <summary>
/// What <c>--data</c> points at decides the datasets, the model and the augmentation: MNIST IDX files
/// → <see cref="DigitNet"/>; CIFAR-10 binary batches → <see cref="CifarNet"/>; an ImageFolder root with
/// train/ and test/ → <see cref="FolderFeatures"/> plus a head for its classes.
/// </summary>
public sealed record DataChoice(string Description, IDataset Train, IDataset Test, Func<nn.Module<Tensor, Tensor>> CreateModel, Func<long, IAugmentation[]> TrainAugmentation)
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
        if (Directory.Exists(Path.Combine(dir, "train")) && Directory.Exists(Path.Combine(dir, "test")))
        {
            var options = new ImageFolderOptions { Channels = 3, Height = 64, Width = 64 };
            var train = new ImageFolderDataset(Path.Combine(dir, "train"), options);
            var test = new ImageFolderDataset(Path.Combine(dir, "test"), options);
            if (!train.ClassNames.SequenceEqual(test.ClassNames))
                throw new InvalidDataException($"--data {dir}: train/ has classes [{string.Join(", ", train.ClassNames)}] but test/ has [{string.Join(", ", test.ClassNames)}].");
            return new DataChoice($"ImageFolder ({dir}, {train.ClassNames.Count} classes)", train, test,
                () => new ImageFolderClassifier(train.ClassNames.Count),
                s => new IAugmentation[] { new RandomResizedCrop(64, 64, seed: s), new RandomHorizontalFlip(seed: s + 1) });
        }
        throw new InvalidDataException(
            $"--data {dir}: found neither MNIST (train-images-idx3-ubyte[.gz]), CIFAR-10 (data_batch_1.bin, or cifar-10-batches-bin/) nor an ImageFolder root (train/ and test/ class folders).");
    }

    private static DataChoice Mnist(string description, IDataset train, IDataset test)
        => new(description, train, test, () => new DigitNet(),
            // Small affine jitter: digits stay digits, and 8,000 samples go further.
            s => new IAugmentation[] { new RandomAffine(degrees: 10, translate: (0.1, 0.1), scale: (0.9, 1.1), seed: s) });

    private static bool HasAny(string dir, params string[] names) => names.Any(n => File.Exists(Path.Combine(dir, n)));
}
