namespace ModelDsl.Metrics;

/// <summary>
/// Segmentation mean intersection-over-union (Jaccard): per class IoU = tp / (tp + fp + fn) over all pixels
/// seen; <see cref="PerClassSegmentationMetric.Compute"/> averages the classes that occur in the targets or the
/// predictions (tp + fp + fn &gt; 0), <see cref="PerClassSegmentationMetric.ComputePerClass"/> gives NaN for the
/// others. Inputs as <see cref="PixelAccuracy"/>: N×C×H×W scores vs N×H×W targets, optional ignoreIndex.
/// </summary>
public sealed class MeanIoU(int numClasses, long? ignoreIndex = null) : PerClassSegmentationMetric("mean_iou", numClasses, ignoreIndex)
{
    protected override double Value(long tp, long fp, long fn) => tp + fp + fn == 0 ? double.NaN : (double)tp / (tp + fp + fn);
}
