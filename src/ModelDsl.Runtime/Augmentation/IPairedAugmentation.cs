using ModelDsl.Data;

namespace ModelDsl.Augmentation;

/// <summary>
/// A batch transform of a dense task (Kornia's <c>AugmentationSequential</c> with data keys): one random
/// draw per sample, applied alike to its image, its mask and its boxes, batched on the batch's device.
/// Returns a new batch (the input is left untouched; the caller owns both).
/// </summary>
public interface IPairedAugmentation
{
    DenseBatch Apply(DenseBatch batch);
}
