using ModelDsl.Augmentation;
using static TorchSharp.torch;

namespace ModelDsl.Data;

/// <summary>
/// Batches an <see cref="ISegmentationDataset"/>: <see cref="Batch.Inputs"/> N×C×H×W float32 images,
/// <see cref="Batch.Targets"/> N×H×W int64 masks (the ignore index where no class is given), on the
/// loader's device, after the optional paired augmentation.
/// </summary>
public sealed class SegmentationDataLoader : DenseDataLoader
{
    public SegmentationDataLoader(ISegmentationDataset dataset, int batchSize, bool shuffle = false, int seed = 0, bool dropLast = false,
                                  int workers = 0, Device? device = null, IPairedAugmentation? augmentation = null)
        : base((dataset ?? throw new ArgumentNullException(nameof(dataset))).Count, batchSize, shuffle, seed, dropLast, workers, device, augmentation)
    {
        Dataset = dataset;
    }

    public ISegmentationDataset Dataset { get; }

    private protected override DenseBatch BuildHost(ReadOnlySpan<int> indices)
    {
        var samples = LoadAll(indices, Dataset.Get);
        try
        {
            for (int i = 0; i < samples.Length; i++)
            {
                var (img, mask) = samples[i];
                if (img.dim() != 3 || img.shape[0] != Dataset.Channels || img.shape[1] != Dataset.Height || img.shape[2] != Dataset.Width
                    || mask.dim() != 2 || mask.shape[0] != Dataset.Height || mask.shape[1] != Dataset.Width || mask.dtype != ScalarType.Int64)
                    throw new InvalidDataException(
                        $"Sample {indices[i]} has image [{string.Join(", ", img.shape)}] and {mask.dtype} mask [{string.Join(", ", mask.shape)}]; " +
                        $"the dataset declares [{Dataset.Channels}, {Dataset.Height}, {Dataset.Width}] and an int64 mask [{Dataset.Height}, {Dataset.Width}].");
            }
            return new DenseBatch(stack(samples.Select(s => s.Image)), stack(samples.Select(s => s.Mask)));
        }
        finally
        {
            foreach (var (img, mask) in samples) { img.Dispose(); mask.Dispose(); }
        }
    }

    private protected override Batch ToBatch(DenseBatch batch) =>
        new(batch.Images, batch.Masks ?? throw new InvalidOperationException("The paired augmentation dropped the masks."));
}
