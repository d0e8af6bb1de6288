using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Metrics;

/// <summary>
/// Intersection over union of axis-aligned boxes given as (x1, y1, x2, y2) with x2 ≥ x1, y2 ≥ y1 (pixel or
/// normalized coordinates, continuous convention: area = (x2 − x1)·(y2 − y1)). As a streaming metric:
/// the mean IoU of matched pairs — row i of the predictions against row i of the targets (N×4 each).
/// <see cref="Pairwise"/> gives the M×K matrix of every pair (torchvision's box_iou). Two empty boxes
/// (union 0) have IoU 0.
/// </summary>
public sealed class BoxIoU : IMetric, IDisposable
{
    private Tensor? _sum, _count;

    public string Name => "box_iou";

    public void Update(Tensor predictions, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(targets);
        MetricInputs.CheckSameDevice(Name, predictions, targets);
        CheckBoxes("predictions", predictions);
        CheckBoxes("targets", targets);
        if (!predictions.shape.SequenceEqual(targets.shape))
            throw new ArgumentException($"{Name}: predictions {MetricInputs.Shape(predictions)} and targets {MetricInputs.Shape(targets)} must both be [N, 4] matched pairs (use BoxIoU.Pairwise for all pairs).");
        using var scope = NewDisposeScope();
        var iou = Paired(predictions.detach(), targets.detach());
        if (_sum is null)
        {
            _sum = zeros(Array.Empty<long>(), ScalarType.Float64, predictions.device).DetachFromDisposeScope();
            _count = zeros(Array.Empty<long>(), ScalarType.Int64, predictions.device).DetachFromDisposeScope();
        }
        _sum.add_(iou.to(ScalarType.Float64).sum());
        _count!.add_(iou.shape[0]);
    }

    public double Compute()
    {
        if (_sum is null)
            throw new InvalidOperationException($"{Name}: Compute() called before any Update() (or right after Reset()); there is nothing to compute.");
        long n = _count!.item<long>();
        return n == 0 ? 0.0 : _sum.item<double>() / n;
    }

    public void Reset()
    {
        _sum?.Dispose(); _sum = null;
        _count?.Dispose(); _count = null;
    }

    public void Dispose() => Reset();

    private static void CheckBoxes(string what, Tensor boxes)
    {
        if (boxes.dim() != 2 || boxes.shape[1] != 4)
            throw new ArgumentException($"box_iou: {what} must be [N, 4] boxes (x1, y1, x2, y2), got {MetricInputs.Shape(boxes)}.");
        if (!MetricInputs.IsFloating(boxes) && !MetricInputs.IsInteger(boxes))
            throw new ArgumentException($"box_iou: {what} must be numeric, got {boxes.dtype}.");
    }

    private static Tensor Area(Tensor b) =>
        (b[.., 2] - b[.., 0]).clamp_min(0) * (b[.., 3] - b[.., 1]).clamp_min(0);

    /// <summary>IoU of row i of <paramref name="a"/> with row i of <paramref name="b"/> (both N×4) → N.</summary>
    public static Tensor Paired(Tensor a, Tensor b)
    {
        CheckBoxes("a", a); CheckBoxes("b", b);
        if (a.shape[0] != b.shape[0])
            throw new ArgumentException($"box_iou: paired IoU needs the same number of boxes, got {MetricInputs.Shape(a)} and {MetricInputs.Shape(b)}.");
        using var scope = NewDisposeScope();
        a = a.to(ScalarType.Float32); b = b.to(ScalarType.Float32);
        var w = (minimum(a[.., 2], b[.., 2]) - maximum(a[.., 0], b[.., 0])).clamp_min(0);
        var h = (minimum(a[.., 3], b[.., 3]) - maximum(a[.., 1], b[.., 1])).clamp_min(0);
        var inter = w * h;
        var union = Area(a) + Area(b) - inter;
        return where(union.gt(0), inter / union.clamp_min(1e-12), zeros_like(union)).MoveToOuterDisposeScope();
    }

    /// <summary>IoU of every box of <paramref name="a"/> (M×4) with every box of <paramref name="b"/> (K×4) → M×K.</summary>
    public static Tensor Pairwise(Tensor a, Tensor b)
    {
        CheckBoxes("a", a); CheckBoxes("b", b);
        using var scope = NewDisposeScope();
        a = a.to(ScalarType.Float32); b = b.to(ScalarType.Float32);
        var lt = maximum(a[.., 0..2].unsqueeze(1), b[.., 0..2].unsqueeze(0));   // M×K×2
        var rb = minimum(a[.., 2..4].unsqueeze(1), b[.., 2..4].unsqueeze(0));
        var wh = (rb - lt).clamp_min(0);
        var inter = wh[.., .., 0] * wh[.., .., 1];
        var union = Area(a).unsqueeze(1) + Area(b).unsqueeze(0) - inter;
        return where(union.gt(0), inter / union.clamp_min(1e-12), zeros_like(union)).MoveToOuterDisposeScope();
    }
}
