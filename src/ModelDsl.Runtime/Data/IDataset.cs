using TorchSharp;

namespace ModelDsl.Data;

/// <summary>
/// A labelled image dataset with random access. Every sample is a float32 tensor C×H×W with values
/// in [0,1] and an int64 class index; every sample has the same shape (Channels×Height×Width), which
/// is what lets a <see cref="DataLoader"/> stack samples into N×C×H×W batches.
/// </summary>
/// <remarks>
/// <see cref="Get"/> may be called concurrently from the loader's worker threads, so implementations
/// must be thread-safe for reads. The caller owns (and disposes) the returned tensor.
/// </remarks>
public interface IDataset
{
    int Count { get; }

    /// <summary>Sample <paramref name="index"/>: image C×H×W float32 in [0,1] on the CPU, and its label.</summary>
    (torch.Tensor Image, long Label) Get(int index);

    IReadOnlyList<string> ClassNames { get; }

    int Channels { get; }
    int Height { get; }
    int Width { get; }
}

/// <summary>
/// Optional fast path for datasets that can write a sample straight into a caller-provided buffer
/// (C×H×W floats). The loader uses it to fill one array per batch and make a single tensor from it,
/// instead of one tensor per sample plus a stack: fewer native allocations on the worker threads.
/// </summary>
public interface ISampleWriter
{
    /// <summary>Writes sample <paramref name="index"/> as C×H×W floats in [0,1] into <paramref name="destination"/> and returns its label.</summary>
    long WriteSample(int index, Span<float> destination);
}

/// <summary>
/// Optional fastest path for 8-bit image datasets: writes sample <c>index</c> as C×H×W bytes (0..255).
/// The loader fills a pooled byte buffer per batch and converts it to float32/255 in one native op, so a
/// batch costs no managed large-object allocation at all (float batch buffers of 64×3×32×32 are 786 KB,
/// on the large-object heap, and triggered a gen-2 GC every other batch).
/// </summary>
public interface IByteSampleWriter
{
    long WriteSampleBytes(int index, Span<byte> destination);
}

/// <summary>
/// Optional interface of datasets that already hold all samples in memory as one tensor. The loader
/// then batches with <c>index_select</c> (no per-sample work) and the device-resident mode moves the
/// storage to the device as is. Images are N×C×H×W, uint8 (scaled by 1/255 when batched) or float32
/// in [0,1]; labels are int64 N, or float32 N×K per-class targets (batches then carry K values per sample).
/// </summary>
public interface ITensorStorage
{
    torch.Tensor Images { get; }
    torch.Tensor Labels { get; }
}
