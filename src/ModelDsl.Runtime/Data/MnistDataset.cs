using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Data;

/// <summary>
/// MNIST (or anything in the same IDX layout, e.g. Fashion-MNIST) from the original files:
/// <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c>,
/// <c>t10k-labels-idx1-ubyte</c>, each optionally gzipped (<c>.gz</c>). Samples are 1×28×28 in [0,1].
/// Stored as uint8 in memory (see <see cref="TensorDataset"/>).
/// </summary>
public sealed class MnistDataset : TensorDataset
{
    private static readonly string[] Digits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    private MnistDataset(Tensor images, Tensor labels, string imagesPath, string labelsPath)
        : base(images, labels, Digits)
    {
        ImagesPath = imagesPath;
        LabelsPath = labelsPath;
    }

    public string ImagesPath { get; }
    public string LabelsPath { get; }

    /// <summary>
    /// Loads the training (<paramref name="train"/> = true) or test split from <paramref name="directory"/>.
    /// Accepts both the canonical names (<c>train-images-idx3-ubyte</c>) and the dotted variant
    /// (<c>train-images.idx3-ubyte</c>), with or without <c>.gz</c>.
    /// </summary>
    public static MnistDataset Load(string directory, bool train = true)
    {
        string prefix = train ? "train" : "t10k";
        string images = Find(directory, prefix, "images", "idx3-ubyte");
        string labels = Find(directory, prefix, "labels", "idx1-ubyte");
        return FromFiles(images, labels);
    }

    /// <summary>Loads an images IDX file and a labels IDX file (each gzipped or raw).</summary>
    public static MnistDataset FromFiles(string imagesPath, string labelsPath)
    {
        var (idims, ibytes) = IdxReader.Read(imagesPath, IdxReader.ImagesMagic);
        var (ldims, lbytes) = IdxReader.Read(labelsPath, IdxReader.LabelsMagic);
        if (idims[0] != ldims[0])
            throw new InvalidDataException(
                $"MNIST image and label counts differ: '{imagesPath}' has {idims[0]} images, '{labelsPath}' has {ldims[0]} labels.");
        var images = torch.tensor(ibytes, new long[] { idims[0], 1, idims[1], idims[2] }, ScalarType.Byte);
        var labels = torch.tensor(lbytes, new long[] { ldims[0] }, ScalarType.Byte);
        foreach (var b in lbytes)
            if (b > 9)
                throw new InvalidDataException($"MNIST labels file '{labelsPath}' contains label {b}; expected 0..9.");
        return new MnistDataset(images, labels, imagesPath, labelsPath);
    }

    private static string Find(string directory, string prefix, string kind, string suffix)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"MNIST directory not found: {directory}. {DatasetDownloader.ManualInstructions(DatasetKind.Mnist, directory)}");
        string[] names = [$"{prefix}-{kind}-{suffix}", $"{prefix}-{kind}.{suffix}"];
        foreach (var n in names)
            foreach (var candidate in new[] { n, n + ".gz" })
            {
                var p = Path.Combine(directory, candidate);
                if (File.Exists(p)) return p;
            }
        throw new FileNotFoundException(
            $"MNIST file {names[0]}[.gz] not found in '{directory}'. {DatasetDownloader.ManualInstructions(DatasetKind.Mnist, directory)}");
    }
}
