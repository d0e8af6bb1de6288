using ModelDsl.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Data;

/// <summary>
/// A dataset held in memory as two tensors: images N×C×H×W (uint8 0..255 or float32 in [0,1]) and targets — int64
/// class indices N, or float32 N×K per-class targets (class probabilities for <c>Loss.CrossEntropy</c>, as
/// <c>nn.CrossEntropyLoss</c> takes them, or 0/1 labels for a multilabel BCE). uint8 storage is kept as is (4× less
/// memory than float) and converted per sample or per batch; this is how MNIST and CIFAR-10 are stored.
/// </summary>
public class TensorDataset : IDataset, ITensorStorage, IDisposable
{
    private readonly string[] _classNames;

    /// <param name="images">N×C×H×W, uint8 or float32 (the dataset takes ownership).</param>
    /// <param name="labels">
    /// N integer class indices (converted to int64), or N×K targets (converted to float32): a batch then carries the K
    /// values per sample. The dataset takes ownership.
    /// </param>
    /// <param name="classNames">Class names; defaults to "0".."K-1" where K = max label + 1 (or the targets' width).</param>
    public TensorDataset(Tensor images, Tensor labels, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.dim() != 4)
            throw new ArgumentException($"TensorDataset needs images N×C×H×W; got shape [{string.Join(", ", images.shape)}].", nameof(images));
        if (images.dtype != ScalarType.Byte && images.dtype != ScalarType.Float32)
            throw new ArgumentException($"TensorDataset images must be uint8 or float32; got {images.dtype}.", nameof(images));
        if (TargetProblem(images, labels) is { } problem) throw new ArgumentException(problem, nameof(labels));
        if (images.device_type != DeviceType.CPU)
            throw new ArgumentException("TensorDataset storage must be on the CPU; use DataLoader's deviceResident mode to keep data on the device.", nameof(images));

        Images = images.contiguous();
        if (!ReferenceEquals(Images, images)) images.Dispose();
        var targetType = labels.dim() == 1 ? ScalarType.Int64 : ScalarType.Float32;
        if (labels.dtype == targetType) Labels = labels.contiguous();
        else Labels = labels.to_type(targetType).contiguous();
        if (!ReferenceEquals(Labels, labels)) labels.Dispose();

        Count = checked((int)Images.shape[0]);
        Channels = (int)Images.shape[1];
        Height = (int)Images.shape[2];
        Width = (int)Images.shape[3];
        if (classNames is null)
        {
            long k = Labels.dim() == 2 ? Labels.shape[1] : Count == 0 ? 0 : Labels.max().item<long>() + 1;
            classNames = Enumerable.Range(0, (int)k).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }
        else if (Labels.dim() == 2 && classNames.Count != Labels.shape[1])
            throw new ArgumentException($"TensorDataset has {Labels.shape[1]} targets per sample (labels [{string.Join(", ", Labels.shape)}]) but {classNames.Count} class names.", nameof(classNames));
        _classNames = classNames.ToArray();
    }

    /// <summary>What is wrong with <paramref name="labels"/> as targets of <paramref name="images"/>, in one line; null when nothing is.</summary>
    private static string? TargetProblem(Tensor images, Tensor labels)
    {
        string shape = $"labels [{string.Join(", ", labels.shape)}] for images [{string.Join(", ", images.shape)}]";
        if (labels.dim() is not (1 or 2))
            return $"TensorDataset needs N class indices or N×K per-class targets; got {shape}.";
        if (labels.shape[0] != images.shape[0])
            return $"TensorDataset needs one target per image: {shape}.";
        bool integral = labels.dtype is ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64;
        bool floating = labels.dtype is ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64;
        if (labels.dim() == 1 && !integral)
            return $"TensorDataset class indices must be integers; got {labels.dtype} {shape} (for class probabilities pass N×K targets).";
        if (labels.dim() == 2 && !(integral || floating))
            return $"TensorDataset N×K targets must be numbers (class probabilities or 0/1 labels); got {labels.dtype} {shape}.";
        return null;
    }

    public Tensor Images { get; }
    /// <summary>int64 class indices N, or float32 targets N×K.</summary>
    public Tensor Labels { get; }
    public int Count { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <summary>Sample <paramref name="index"/>; with N×K targets its label is the class with the largest target (a probability target's hard label).</summary>
    public (Tensor Image, long Label) Get(int index)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Dataset has {Count} samples.");
        using var scope = NewDisposeScope();
        var img = Images[index];
        var result = img.dtype == ScalarType.Byte ? img.to_type(ScalarType.Float32).div_(KeptScalars.Constant(255.0)) : img.clone();
        long label = Labels.dim() == 2 ? Labels[index].argmax().item<long>() : Labels[index].item<long>();
        return (result.MoveToOuterDisposeScope(), label);
    }

    /// <summary>Images <paramref name="indices"/> as float32 N×C×H×W in [0,1] and their labels, on the CPU.</summary>
    public Batch GetBatch(Tensor indices) => TensorBatching.Select(Images, Labels, indices);

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
        GC.SuppressFinalize(this);
    }
}

internal static class TensorBatching
{
    /// <summary>index_select on both storages, uint8 → float32/255; everything intermediate disposed.</summary>
    public static Batch Select(Tensor images, Tensor labels, Tensor indices)
    {
        using var scope = NewDisposeScope();
        var x = images.index_select(0, indices);
        x = x.dtype == ScalarType.Byte ? x.to_type(ScalarType.Float32).div_(KeptScalars.Constant(255.0)) : x;
        var y = labels.index_select(0, indices);
        return new Batch(x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope());
    }
}
