using TorchSharp;

namespace ModelDsl.Data;

/// <summary>
/// The samples of another dataset at the given indices, in that order (torch.utils.data.Subset): how a
/// validation split is held out of a training folder without copying a file. Reads go to the inner
/// dataset, through its fast paths (<see cref="ISampleWriter"/>, <see cref="IByteSampleWriter"/>) where it has
/// them, so an image folder's subset still decodes straight into the loader's batch buffer.
/// </summary>
public sealed class SubsetDataset : IDataset, ISampleWriter, IByteSampleWriter
{
    private readonly int[] _indices;

    public SubsetDataset(IDataset inner, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(indices);
        foreach (int i in indices)
            if ((uint)i >= (uint)inner.Count)
                throw new ArgumentOutOfRangeException(nameof(indices), i, $"Subset index {i} is outside the inner dataset's {inner.Count} samples.");
        Inner = inner;
        _indices = indices.ToArray();
    }

    public IDataset Inner { get; }
    /// <summary>The inner dataset's index of each sample of this subset.</summary>
    public IReadOnlyList<int> Indices => _indices;
    public int Count => _indices.Length;
    public IReadOnlyList<string> ClassNames => Inner.ClassNames;
    public int Channels => Inner.Channels;
    public int Height => Inner.Height;
    public int Width => Inner.Width;

    public (torch.Tensor Image, long Label) Get(int index) => Inner.Get(InnerIndex(index));

    public long WriteSample(int index, Span<float> destination)
    {
        int inner = InnerIndex(index);
        if (Inner is ISampleWriter writer) return writer.WriteSample(inner, destination);
        var (image, label) = Inner.Get(inner);
        using (image) image.data<float>().ToArray().AsSpan().CopyTo(destination);
        return label;
    }

    public long WriteSampleBytes(int index, Span<byte> destination)
    {
        int inner = InnerIndex(index);
        if (Inner is IByteSampleWriter writer) return writer.WriteSampleBytes(inner, destination);
        var (image, label) = Inner.Get(inner);
        using (image)
        {
            var pixels = image.data<float>().ToArray();
            for (int i = 0; i < pixels.Length; i++) destination[i] = (byte)Math.Clamp(MathF.Round(pixels[i] * 255f), 0, 255);
        }
        return label;
    }

    private int InnerIndex(int index) =>
        (uint)index < (uint)_indices.Length ? _indices[index] : throw new ArgumentOutOfRangeException(nameof(index), index, $"Dataset has {Count} samples.");
}
