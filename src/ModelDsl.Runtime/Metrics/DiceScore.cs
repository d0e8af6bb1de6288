namespace ModelDsl.Metrics;

/// <summary>
/// Segmentation Dice (F1 over pixels): per class 2·tp / (2·tp + fp + fn) over all pixels seen, averaged over the
/// classes that occur (as <see cref="MeanIoU"/>; NaN per class for the others). For a loss to train with, see
/// <see cref="Training.Loss.Dice"/>.
/// </summary>
public sealed class DiceScore(int numClasses, long? ignoreIndex = null) : PerClassSegmentationMetric("dice", numClasses, ignoreIndex)
{
    protected override double Value(long tp, long fp, long fn) => 2 * tp + fp + fn == 0 ? double.NaN : 2.0 * tp / (2 * tp + fp + fn);
}
