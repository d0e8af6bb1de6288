using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Detection;

/// <summary>
/// The course's YOLO (v1) output layout: an S×S grid over the image, each cell predicting <see cref="BoxesPerCell"/>
/// boxes (x, y, w, h, confidence) and <see cref="NumClasses"/> class scores, stored channels-last as
/// N×S×S×(B·5 + C). x, y are the box centre within its cell (0–1), w, h its size relative to the image (0–1).
/// <see cref="Encode"/> turns ground-truth boxes into the N×S×S×(5 + C) target the <see cref="Training.YoloLoss"/>
/// trains against; <see cref="Decode"/> turns predictions into boxes: confidence × class score, threshold,
/// per-class NMS, on the prediction's device.
/// </summary>
public sealed class YoloGrid
{
    public YoloGrid(int gridSize, int boxesPerCell, int numClasses)
    {
        if (gridSize < 1) throw new ArgumentOutOfRangeException(nameof(gridSize), gridSize, "The grid needs at least one cell.");
        if (boxesPerCell < 1) throw new ArgumentOutOfRangeException(nameof(boxesPerCell), boxesPerCell, "At least one box per cell.");
        if (numClasses < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "At least one class.");
        GridSize = gridSize;
        BoxesPerCell = boxesPerCell;
        NumClasses = numClasses;
    }

    public int GridSize { get; }
    public int BoxesPerCell { get; }
    public int NumClasses { get; }

    /// <summary>Values per cell of a prediction: B·5 + C.</summary>
    public int PredictionDepth => BoxesPerCell * 5 + NumClasses;

    /// <summary>Values per cell of a target: x, y, w, h, object, then C one-hot class values.</summary>
    public int TargetDepth => 5 + NumClasses;

    /// <summary>
    /// Targets N×S×S×(5 + C) for the boxes of each image, given in normalised (x1, y1, x2, y2) coordinates.
    /// A cell holds one object, as in YOLO v1: when two boxes' centres fall in one cell, the larger box is kept.
    /// </summary>
    public Tensor Encode(IReadOnlyList<Detections> images, Device? device = null)
    {
        var s = GridSize;
        var target = new float[images.Count * s * s * TargetDepth];
        var area = new double[images.Count * s * s];
        for (var n = 0; n < images.Count; n++)
        {
            using var scope = NewDisposeScope();
            var boxes = HostValues.Of<double>(images[n].Boxes.detach().to(ScalarType.Float64).cpu());
            var labels = HostValues.Of<long>(images[n].Labels.detach().to(ScalarType.Int64).cpu());
            for (var i = 0; i < labels.Length; i++)
            {
                double x1 = boxes[4 * i], y1 = boxes[4 * i + 1], x2 = boxes[4 * i + 2], y2 = boxes[4 * i + 3];
                if (!(x1 >= 0 && y1 >= 0 && x2 <= 1 && y2 <= 1 && x2 > x1 && y2 > y1))
                    throw new ArgumentException($"YOLO targets: image {n}, box {i} ({x1}, {y1}, {x2}, {y2}) is not a normalised box inside the image (0 ≤ x1 < x2 ≤ 1, 0 ≤ y1 < y2 ≤ 1).");
                if (labels[i] < 0 || labels[i] >= NumClasses)
                    throw new ArgumentException($"YOLO targets: image {n}, box {i} has class {labels[i]}, outside 0..{NumClasses - 1}.");
                double cx = (x1 + x2) / 2 * s, cy = (y1 + y2) / 2 * s;
                int col = Math.Min((int)cx, s - 1), row = Math.Min((int)cy, s - 1);
                var cell = (n * s + row) * s + col;
                var boxArea = (x2 - x1) * (y2 - y1);
                if (boxArea <= area[cell]) continue;
                area[cell] = boxArea;
                var at = cell * TargetDepth;
                Array.Clear(target, at, TargetDepth);
                target[at] = (float)(cx - col);
                target[at + 1] = (float)(cy - row);
                target[at + 2] = (float)(x2 - x1);
                target[at + 3] = (float)(y2 - y1);
                target[at + 4] = 1;
                target[at + 5 + labels[i]] = 1;
            }
        }
        return tensor(target, new long[] { images.Count, s, s, TargetDepth }, device: device);
    }

    /// <summary>
    /// Boxes of each image (normalised x1, y1, x2, y2) scoring at least <paramref name="confidenceThreshold"/>
    /// (score = box confidence × its cell's best class score, YOLO v1's class-specific confidence), after per-class
    /// NMS at <paramref name="iouThreshold"/>, at most <paramref name="maxDetections"/> per image, best first.
    /// </summary>
    public List<Detections> Decode(Tensor predictions, double confidenceThreshold = 0.25, double iouThreshold = 0.5, int maxDetections = 100)
    {
        CheckPredictions(predictions);
        var result = new List<Detections>();
        using var scope = NewDisposeScope();
        var p = predictions.detach().to(ScalarType.Float32);
        long n = p.shape[0], s = GridSize, b = BoxesPerCell;
        var boxes = p[.., .., .., ..(int)(b * 5)].reshape(n, s, s, b, 5);
        var classScores = p[.., .., .., (int)(b * 5)..];
        var (bestClass, bestClassIndex) = classScores.max(-1);                  // N×S×S
        var rows = arange(s, device: p.device, dtype: ScalarType.Float32).view(1, s, 1, 1);
        var cols = arange(s, device: p.device, dtype: ScalarType.Float32).view(1, 1, s, 1);
        var cx = (boxes[.., .., .., .., 0] + cols) / s;
        var cy = (boxes[.., .., .., .., 1] + rows) / s;
        var w = boxes[.., .., .., .., 2];
        var h = boxes[.., .., .., .., 3];
        var corners = stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], -1).clamp(0, 1);   // N×S×S×B×4
        var score = boxes[.., .., .., .., 4] * bestClass.unsqueeze(-1);                           // N×S×S×B
        var label = bestClassIndex.unsqueeze(-1).expand(n, s, s, b);
        for (long i = 0; i < n; i++)
        {
            var si = score[i].reshape(-1);
            var keep = si.ge(confidenceThreshold).nonzero().squeeze(1);
            var bi = corners[i].reshape(-1, 4).index_select(0, keep);
            var sc = si.index_select(0, keep);
            var li = label[i].reshape(-1).index_select(0, keep);
            var kept = NonMaxSuppression.PerClass(bi, sc, li, iouThreshold);
            if (kept.shape[0] > maxDetections) kept = kept[..maxDetections];
            result.Add(new Detections(
                bi.index_select(0, kept).DetachFromDisposeScope(),
                li.index_select(0, kept).DetachFromDisposeScope(),
                sc.index_select(0, kept).DetachFromDisposeScope()));
        }
        return result;
    }

    internal void CheckPredictions(Tensor predictions)
    {
        if (predictions.dim() != 4 || predictions.shape[1] != GridSize || predictions.shape[2] != GridSize || predictions.shape[3] != PredictionDepth)
            throw new ArgumentException(
                $"YOLO predictions must be [N, {GridSize}, {GridSize}, {PredictionDepth}] (S×S cells of {BoxesPerCell}·5 box values + {NumClasses} class scores), " +
                $"got [{string.Join(", ", predictions.shape)}]. A channels-first head N×{PredictionDepth}×S×S needs .permute(0, 2, 3, 1).");
    }

    internal void CheckTargets(Tensor targets, long n)
    {
        if (targets.dim() != 4 || targets.shape[0] != n || targets.shape[1] != GridSize || targets.shape[2] != GridSize || targets.shape[3] != TargetDepth)
            throw new ArgumentException(
                $"YOLO targets must be [{n}, {GridSize}, {GridSize}, {TargetDepth}] (x, y, w, h, object, {NumClasses} one-hot classes per cell; see YoloGrid.Encode), " +
                $"got [{string.Join(", ", targets.shape)}].");
    }
}
