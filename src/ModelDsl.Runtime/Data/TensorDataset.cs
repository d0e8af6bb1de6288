using ModelDsl.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Data;

/// <summary>
/// A dataset held in memory as two tensors: images N×C×H×W (uint8 0..255 or float32 in [0,1]) and
/// int64 labels N. uint8 storage is kept as is (4× less memory than float) and converted per sample
/// or per batch; this is how MNIST and CIFAR-10 are stored.
/// </summary>
public class TensorDataset : IDataset, ITensorStorage, IDisposable
{
    private readonly string[] _classNames;

    /// <param name="images">N×C×H×W, uint8 or float32 (the dataset takes ownership).</param>
    /// <param name="labels">N integer labels (converted to int64; the dataset takes ownership).</param>
    /// <param name="classNames">Class names; defaults to "0".."K-1" where K = max label + 1.</param>
    public TensorDataset(Tensor images, Tensor labels, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.dim() != 4)
            throw new ArgumentException($"TensorDataset needs images N×C×H×W; got shape [{string.Join(", ", images.shape)}].", nameof(images));
        if (images.dtype != ScalarType.Byte && images.dtype != ScalarType.Float32)
            throw new ArgumentException($"TensorDataset images must be uint8 or float32; got {images.dtype}.", nameof(images));
        if (labels.dim() != 1 || labels.shape[0] != images.shape[0])
            throw new ArgumentException($"TensorDataset needs one label per image: images [{string.Join(", ", images.shape)}], labels [{string.Join(", ", labels.shape)}].", nameof(labels));
        if (images.device_type != DeviceType.CPU)
            throw new ArgumentException("TensorDataset storage must be on the CPU; use DataLoader's deviceResident mode to keep data on the device.", nameof(images));

        Images = images.contiguous();
        if (!ReferenceEquals(Images, images)) images.Dispose();
        if (labels.dtype == ScalarType.Int64) Labels = labels;
        else { Labels = labels.to_type(ScalarType.Int64); labels.Dispose(); }

        Count = checked((int)Images.shape[0]);
        Channels = (int)Images.shape[1];
        Height = (int)Images.shape[2];
        Width = (int)Images.shape[3];
        if (classNames is null)
        {
            long k = Count == 0 ? 0 : Labels.max().item<long>() + 1;
            classNames = Enumerable.Range(0, (int)k).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }
        _classNames = classNames.ToArray();
    }

    public Tensor Images { get; }
    public Tensor Labels { get; }
    public int Count { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public IReadOnlyList<string> ClassNames => _classNames;

    public (Tensor Image, long Label) Get(int index)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Dataset has {Count} samples.");
        using var scope = NewDisposeScope();
        var img = Images[index];
        var result = img.dtype == ScalarType.Byte ? img.to_type(ScalarType.Float32).div_(KeptScalars.Constant(255.0)) : img.clone();
        long label = Labels[index].item<long>();
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
