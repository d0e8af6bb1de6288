using ModelDsl.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Detection;

/// <summary>
/// Greedy non-maximum suppression with torchvision's semantics (<c>torchvision.ops.nms</c> / <c>batched_nms</c>):
/// boxes are taken best score first; a box whose IoU with an already kept box is greater than the threshold is
/// dropped. The sort and the K×K IoU matrix are computed on the boxes' device; the greedy pass, which is
/// sequential by nature, reads that matrix once as a bit mask (one K×K transfer, as torchvision's CUDA kernel
/// also finishes on the host) — written by hand because TorchSharp has no nms.
/// </summary>
public static class NonMaxSuppression
{
    /// <summary>Indices (int64, on the boxes' device) of the kept boxes, by decreasing score.</summary>
    public static Tensor Apply(Tensor boxes, Tensor scores, double iouThreshold)
    {
        if (boxes.dim() != 2 || boxes.shape[1] != 4)
            throw new ArgumentException($"nms: boxes must be [K, 4] (x1, y1, x2, y2), got [{string.Join(", ", boxes.shape)}].");
        if (scores.dim() != 1 || scores.shape[0] != boxes.shape[0])
            throw new ArgumentException($"nms: scores must be [K] with K = {boxes.shape[0]}, got [{string.Join(", ", scores.shape)}].");
        long k = boxes.shape[0];
        if (k == 0) return zeros(0, ScalarType.Int64, device: boxes.device);
        using var scope = NewDisposeScope();
        var (_, order) = scores.detach().sort(descending: true, stable: true);
        var sorted = boxes.detach().index_select(0, order);
        var overlaps = BoxIoU.Pairwise(sorted, sorted).gt(iouThreshold).triu(1).cpu();
        var suppresses = overlaps.data<bool>().ToArray();
        var removed = new bool[k];
        var kept = new List<long>();
        for (long i = 0; i < k; i++)
        {
            if (removed[i]) continue;
            kept.Add(i);
            for (long j = i + 1; j < k; j++)
                if (suppresses[i * k + j]) removed[j] = true;
        }
        var keptSorted = tensor(kept.ToArray(), device: boxes.device);
        return order.index_select(0, keptSorted).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Per-class NMS: boxes of different classes never suppress each other (torchvision's <c>batched_nms</c>:
    /// each class's boxes are shifted by class × (largest coordinate + 1) so that classes cannot overlap).
    /// </summary>
    public static Tensor PerClass(Tensor boxes, Tensor scores, Tensor labels, double iouThreshold)
    {
        if (labels.dim() != 1 || labels.shape[0] != boxes.shape[0])
            throw new ArgumentException($"nms: labels must be [K] with K = {boxes.shape[0]}, got [{string.Join(", ", labels.shape)}].");
        if (boxes.shape[0] == 0) return zeros(0, ScalarType.Int64, device: boxes.device);
        using var scope = NewDisposeScope();
        var b = boxes.detach().to(ScalarType.Float32);
        var offsets = labels.to(ScalarType.Float32).mul(b.max().add(1)).unsqueeze(1);
        return Apply(b + offsets, scores, iouThreshold).MoveToOuterDisposeScope();
    }
}
