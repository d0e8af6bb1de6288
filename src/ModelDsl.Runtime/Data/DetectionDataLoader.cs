using ModelDsl.Augmentation;
using static TorchSharp.torch;

namespace ModelDsl.Data;

/// <summary>
/// Batches an <see cref="IDetectionDataset"/>: <see cref="Batch.Inputs"/> N×C×H×W float32 images,
/// <see cref="Batch.Targets"/> the boxes packed N×M×5 as <see cref="DetectionTargets"/> describes
/// (M = the most boxes of an image in this batch, at least 1; <see cref="DetectionTargets.Unpack"/>
/// splits them), on the loader's device, after the optional paired augmentation (which may empty rows).
/// </summary>
public sealed class DetectionDataLoader : DenseDataLoader
{
    public DetectionDataLoader(IDetectionDataset dataset, int batchSize, bool shuffle = false, int seed = 0, bool dropLast = false,
                               int workers = 0, Device? device = null, IPairedAugmentation? augmentation = null)
        : base((dataset ?? throw new ArgumentNullException(nameof(dataset))).Count, batchSize, shuffle, seed, dropLast, workers, device, augmentation)
    {
        Dataset = dataset;
    }

    public IDetectionDataset Dataset { get; }

    private protected override DenseBatch BuildHost(ReadOnlySpan<int> indices)
    {
        var samples = LoadAll(indices, Dataset.Get);
        try
        {
            for (int i = 0; i < samples.Length; i++)
            {
                var img = samples[i].Image;
                if (img.dim() != 3 || img.shape[0] != Dataset.Channels || img.shape[1] != Dataset.Height || img.shape[2] != Dataset.Width)
                    throw new InvalidDataException(
                        $"Sample {indices[i]} has shape [{string.Join(", ", img.shape)}]; the dataset declares [{Dataset.Channels}, {Dataset.Height}, {Dataset.Width}].");
            }
            var (boxes, classes) = DetectionTargets.Pad(samples.Select(s => s.Boxes).ToArray());
            return new DenseBatch(stack(samples.Select(s => s.Image)), Boxes: boxes, Classes: classes);
        }
        finally
        {
            foreach (var s in samples) s.Image.Dispose();
        }
    }

    private protected override Batch ToBatch(DenseBatch batch) =>
        new(batch.Images, DetectionTargets.Pack(
            batch.Boxes ?? throw new InvalidOperationException("The paired augmentation dropped the boxes."),
            batch.Classes ?? throw new InvalidOperationException("The paired augmentation dropped the classes.")));
}
