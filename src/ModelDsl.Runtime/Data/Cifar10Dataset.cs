using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Data;

/// <summary>
/// CIFAR-10 from its binary distribution (<c>cifar-10-binary.tar.gz</c> → <c>cifar-10-batches-bin/</c>):
/// <c>data_batch_1.bin</c>..<c>data_batch_5.bin</c> (train) and <c>test_batch.bin</c>, each a sequence of
/// 3,073-byte records (1 label byte, then 1,024 red, 1,024 green, 1,024 blue bytes of a 32×32 image,
/// row-major — already C×H×W), and <c>batches.meta.txt</c> with one class name per line.
/// </summary>
public sealed class Cifar10Dataset : TensorDataset
{
    public const int RecordSize = 1 + 3 * 32 * 32;

    /// <summary>The class names of the official release, used when batches.meta.txt is missing.</summary>
    public static readonly IReadOnlyList<string> DefaultClassNames =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    private Cifar10Dataset(Tensor images, Tensor labels, IReadOnlyList<string> names, IReadOnlyList<string> files)
        : base(images, labels, names)
    {
        Files = files;
    }

    /// <summary>The batch files this dataset was read from.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>
    /// Loads the train (5 data batches) or test split. <paramref name="directory"/> may be the
    /// <c>cifar-10-batches-bin</c> folder itself or its parent.
    /// </summary>
    public static Cifar10Dataset Load(string directory, bool train = true)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"CIFAR-10 directory not found: {directory}. {DatasetDownloader.ManualInstructions(DatasetKind.Cifar10, directory)}");
        var inner = Path.Combine(directory, "cifar-10-batches-bin");
        if (Directory.Exists(inner)) directory = inner;
        string[] names = train ? Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").ToArray() : ["test_batch.bin"];
        var files = names.Select(n => Path.Combine(directory, n)).ToArray();
        foreach (var f in files)
            if (!File.Exists(f))
                throw new FileNotFoundException($"CIFAR-10 batch file not found: {f}. {DatasetDownloader.ManualInstructions(DatasetKind.Cifar10, directory)}", f);
        var meta = Path.Combine(directory, "batches.meta.txt");
        IReadOnlyList<string> classes = File.Exists(meta)
            ? File.ReadAllLines(meta).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray()
            : DefaultClassNames;
        return FromFiles(files, classes);
    }

    /// <summary>Loads the given batch files in order.</summary>
    public static Cifar10Dataset FromFiles(IReadOnlyList<string> files, IReadOnlyList<string>? classNames = null)
    {
        classNames ??= DefaultClassNames;
        var chunks = new List<byte[]>();
        long records = 0;
        foreach (var f in files)
        {
            var bytes = File.ReadAllBytes(f);
            if (bytes.Length == 0 || bytes.Length % RecordSize != 0)
            {
                long expected = (bytes.Length / RecordSize + 1) * (long)RecordSize;
                throw new InvalidDataException(
                    $"CIFAR-10 batch file '{f}' is truncated: records are {RecordSize} bytes, so expected {expected} bytes " +
                    $"({expected / RecordSize} records; an official batch has 10000 = {10000L * RecordSize}), got {bytes.Length}.");
            }
            chunks.Add(bytes);
            records += bytes.Length / RecordSize;
        }
        var pixels = new byte[records * (RecordSize - 1)];
        var labels = new byte[records];
        long r = 0;
        foreach (var bytes in chunks)
        {
            for (int off = 0; off < bytes.Length; off += RecordSize, r++)
            {
                byte label = bytes[off];
                if (label >= classNames.Count)
                    throw new InvalidDataException(
                        $"CIFAR-10 record {r} has label {label} but there are only {classNames.Count} class names ({string.Join(", ", files)}).");
                labels[r] = label;
                Buffer.BlockCopy(bytes, off + 1, pixels, (int)(r * (RecordSize - 1)), RecordSize - 1);
            }
        }
        var images = torch.tensor(pixels, new long[] { records, 3, 32, 32 }, ScalarType.Byte);
        var y = torch.tensor(labels, new long[] { records }, ScalarType.Byte);
        return new Cifar10Dataset(images, y, classNames, files.ToArray());
    }
}
