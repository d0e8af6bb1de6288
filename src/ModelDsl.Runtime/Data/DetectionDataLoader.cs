using ModelDsl.Augmentation;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Data;

/// <summary>
/// Batches an <see cref="IDetectionDataset"/>: <see cref="Batch.Inputs"/> N×C×H×W float32 images,
/// <see cref="Batch.Targets"/> the boxes packed N×M×5 as <see cref="DetectionTargets"/> describes
/// (M = the most boxes of an image in this batch, at least 1; <see cref="DetectionTargets.Unpack"/>
/// splits them), on the loader's device, after the optional paired augmentation (which may empty rows).
/// A <c>targetEncoder</c> replaces the packing, e.g. to hand a YOLO grid target (N×S×S×(5 + C)) to the loss
/// straight from the loader: it gets the augmented boxes N×M×4 (pixels of the batch's images) and classes
/// N×M (−1 = none) on the device, inside the loader's dispose scope, and returns the batch's Targets.
/// </summary>
public sealed class DetectionDataLoader : DenseDataLoader
{
    public DetectionDataLoader(IDetectionDataset dataset, int batchSize, bool shuffle = false, int seed = 0, bool dropLast = false,
                               int workers = 0, Device? device = null, IPairedAugmentation? augmentation = null,
                               Func<Tensor, Tensor, Tensor>? targetEncoder = null)
        : base((dataset ?? throw new ArgumentNullException(nameof(dataset))).Count, batchSize, shuffle, seed, dropLast, workers, device, augmentation)
    {
        Dataset = dataset;
        TargetEncoder = targetEncoder ?? DetectionTargets.Pack;
    }

    public IDetectionDataset Dataset { get; }
    /// <summary>Boxes N×M×4 and classes N×M → the batch's Targets (default <see cref="DetectionTargets.Pack"/>).</summary>
    public Func<Tensor, Tensor, Tensor> TargetEncoder { get; }

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
        new(batch.Images, TargetEncoder(
            batch.Boxes ?? throw new InvalidOperationException("The paired augmentation dropped the boxes."),
            batch.Classes ?? throw new InvalidOperationException("The paired augmentation dropped the classes.")));
}
