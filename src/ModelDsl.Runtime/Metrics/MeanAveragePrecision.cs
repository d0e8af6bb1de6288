using ModelDsl.Detection;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Metrics;

/// <summary>The result of <see cref="MeanAveragePrecision.ComputeAll"/>, torchmetrics' keys as properties.</summary>
/// <param name="Map">COCO mAP: the mean over IoU thresholds 0.50:0.05:0.95 of the mean AP over classes.</param>
/// <param name="Map50">mAP at IoU 0.5 (Pascal VOC style, with COCO's 101-point interpolation).</param>
/// <param name="Map75">mAP at IoU 0.75.</param>
/// <param name="PerClassMap">Per class, AP averaged over the IoU thresholds; −1 for a class with no ground truth.</param>
/// <param name="PerClassMap50">Per class, AP at IoU 0.5; −1 for a class with no ground truth.</param>
/// <param name="Curves">Per class with ground truth, the precision–recall curve at IoU 0.5 (the 101 recall points).</param>
public sealed record MeanAveragePrecisionResult(
    double Map, double Map50, double Map75, double[] PerClassMap, double[] PerClassMap50,
    IReadOnlyList<PrecisionRecallCurve> Curves);

/// <summary>
/// Object-detection mean average precision with torchmetrics' <c>MeanAveragePrecision</c> (pycocotools) semantics
/// for axis-aligned boxes, area range "all": per image and class the <see cref="MaxDetections"/> highest-scoring
/// detections are matched greedily, best score first, each to the unmatched ground-truth box of highest IoU at or
/// above the threshold (a second detection of a matched box is a false positive); per class the detections of all
/// images are ranked by score, precision is made monotone, and AP is its mean at 101 recall points. Classes with
/// no ground truth are left out of the mean (their AP is −1); a class with ground truth but no detection has AP 0.
/// Streaming: <see cref="Update(IReadOnlyList{Detections}, IReadOnlyList{Detections})"/> per batch keeps the
/// boxes (on the CPU, as torchmetrics keeps lists), <see cref="ComputeAll"/> evaluates.
/// </summary>
/// <remarks>
/// Not implemented: COCO's small/medium/large area ranges and crowd annotations (the formats ModelDsl reads have
/// no crowd flag). <see cref="IMetric.Update"/> takes padded tensors so that the Learner can drive it: predictions
/// N×M×6 (x1, y1, x2, y2, score, class) and targets N×K×5 (x1, y1, x2, y2, class); rows with class &lt; 0 are padding.
/// </remarks>
public sealed class MeanAveragePrecision : IMetric
{
    /// <summary>COCO's IoU thresholds, 0.50 to 0.95 in steps of 0.05 (computed as pycocotools does).</summary>
    public static IReadOnlyList<double> CocoIouThresholds { get; } =
        Enumerable.Range(0, 10).Select(i => Math.Round(0.5 + 0.05 * i, 2)).ToArray();

    private static readonly double[] RecallPoints = Enumerable.Range(0, 101).Select(i => i / 100.0).ToArray();

    private readonly List<ImageBoxes> _images = new();

    public MeanAveragePrecision(int numClasses, int maxDetections = 100, IReadOnlyList<double>? iouThresholds = null)
    {
        if (numClasses < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "At least one class.");
        if (maxDetections < 1) throw new ArgumentOutOfRangeException(nameof(maxDetections), maxDetections, "At least one detection per image.");
        NumClasses = numClasses;
        MaxDetections = maxDetections;
        IouThresholds = iouThresholds?.ToArray() ?? CocoIouThresholds;
        if (IouThresholds.Count == 0 || IouThresholds.Any(t => t is <= 0 or > 1))
            throw new ArgumentOutOfRangeException(nameof(iouThresholds), "IoU thresholds must lie in (0, 1].");
    }

    public string Name => "map";
    public int NumClasses { get; }
    public int MaxDetections { get; }
    public IReadOnlyList<double> IouThresholds { get; }

    /// <summary>Images seen since the last <see cref="Reset"/>.</summary>
    public int ImageCount => _images.Count;

    /// <summary>One batch: per image, the predicted boxes with scores and the ground-truth boxes.</summary>
    public void Update(IReadOnlyList<Detections> predictions, IReadOnlyList<Detections> targets)
    {
        if (predictions.Count != targets.Count)
            throw new ArgumentException($"{Name}: {predictions.Count} images of predictions but {targets.Count} of targets.");
        for (var i = 0; i < predictions.Count; i++)
        {
            predictions[i].Validate(Name, $"image {i}'s predicted", needScores: true);
            targets[i].Validate(Name, $"image {i}'s target", needScores: false);
            _images.Add(new ImageBoxes(ReadBoxes(predictions[i], $"image {i}'s predictions"), ReadBoxes(targets[i], $"image {i}'s targets")));
        }
    }

    /// <summary>Padded batch tensors (see the remarks); rows with class &lt; 0 are padding.</summary>
    public void Update(Tensor predictions, Tensor targets)
    {
        if (predictions.dim() != 3 || predictions.shape[2] != 6)
            throw new ArgumentException($"{Name}: padded predictions must be [N, M, 6] (x1, y1, x2, y2, score, class), got [{string.Join(", ", predictions.shape)}].");
        if (targets.dim() != 3 || targets.shape[2] != 5 || targets.shape[0] != predictions.shape[0])
            throw new ArgumentException($"{Name}: padded targets must be [N, K, 5] (x1, y1, x2, y2, class) with N = {predictions.shape[0]}, got [{string.Join(", ", targets.shape)}].");
        using var scope = NewDisposeScope();
        var p = predictions.detach().to(ScalarType.Float64).cpu();
        var t = targets.detach().to(ScalarType.Float64).cpu();
        var preds = new List<Detections>();
        var truths = new List<Detections>();
        for (long i = 0; i < p.shape[0]; i++)
        {
            var pi = p[i]; var ti = t[i];
            var pk = pi[.., 5].ge(0); var tk = ti[.., 4].ge(0);
            var pr = pi[pk]; var tr = ti[tk];
            preds.Add(new Detections(pr[.., 0..4], pr[.., 5].to(ScalarType.Int64), pr[.., 4]));
            truths.Add(new Detections(tr[.., 0..4], tr[.., 4].to(ScalarType.Int64)));
        }
        Update(preds, truths);
    }

    public double Compute() => ComputeAll().Map;

    public void Reset() => _images.Clear();

    /// <summary>mAP, mAP@0.5, mAP@0.75, per-class values and the precision–recall curves at IoU 0.5.</summary>
    public MeanAveragePrecisionResult ComputeAll()
    {
        if (_images.Count == 0)
            throw new InvalidOperationException($"{Name}: Compute() called before any Update() (or right after Reset()); there is nothing to compute.");
        var ap = new double[IouThresholds.Count, NumClasses];      // −1: no ground truth for the class
        var curves = new List<PrecisionRecallCurve>();
        var at50 = IndexOf(0.5);
        for (var c = 0; c < NumClasses; c++)
            for (var t = 0; t < IouThresholds.Count; t++)
            {
                var (value, curve) = AveragePrecision(c, IouThresholds[t]);
                ap[t, c] = value;
                if (t == at50 && curve is not null) curves.Add(new PrecisionRecallCurve(c, RecallPoints.ToArray(), curve));
            }

        double MeanOverClasses(int t)
        {
            var present = Enumerable.Range(0, NumClasses).Select(c => ap[t, c]).Where(v => v >= 0).ToArray();
            return present.Length == 0 ? -1 : present.Average();
        }
        var perThreshold = Enumerable.Range(0, IouThresholds.Count).Select(MeanOverClasses).ToArray();
        var map = perThreshold.All(v => v < 0) ? -1 : perThreshold.Where(v => v >= 0).Average();
        var perClass = Enumerable.Range(0, NumClasses).Select(c =>
        {
            var values = Enumerable.Range(0, IouThresholds.Count).Select(t => ap[t, c]).ToArray();
            return values[0] < 0 ? -1 : values.Average();
        }).ToArray();
        var at75 = IndexOf(0.75);
        return new MeanAveragePrecisionResult(
            map,
            at50 < 0 ? double.NaN : perThreshold[at50],
            at75 < 0 ? double.NaN : perThreshold[at75],
            perClass,
            at50 < 0 ? Enumerable.Repeat(double.NaN, NumClasses).ToArray() : Enumerable.Range(0, NumClasses).Select(c => ap[at50, c]).ToArray(),
            curves);
    }

    /// <summary>
    /// Precision and recall at IoU <paramref name="iouThreshold"/> counting only detections scoring at least
    /// <paramref name="scoreThreshold"/>, over all classes (micro): (TP / (TP + FP), TP / ground-truth boxes).
    /// </summary>
    public (double Precision, double Recall) PrecisionRecall(double iouThreshold = 0.5, double scoreThreshold = 0.5)
    {
        long tp = 0, fp = 0, positives = 0;
        for (var c = 0; c < NumClasses; c++)
        {
            var (matches, count) = MatchClass(c, iouThreshold);
            positives += count;
            foreach (var (score, isTp) in matches)
            {
                if (score < scoreThreshold) continue;
                if (isTp) tp++; else fp++;
            }
        }
        return (tp + fp == 0 ? 0 : (double)tp / (tp + fp), positives == 0 ? 0 : (double)tp / positives);
    }

    private int IndexOf(double threshold)
    {
        for (var i = 0; i < IouThresholds.Count; i++) if (Math.Abs(IouThresholds[i] - threshold) < 1e-9) return i;
        return -1;
    }

    /// <summary>AP of class <paramref name="c"/> and its interpolated precision curve; (−1, null) without ground truth.</summary>
    private (double, double[]?) AveragePrecision(int c, double threshold)
    {
        var (matches, positives) = MatchClass(c, threshold);
        if (positives == 0) return (-1, null);
        // Rank every detection of the class by score (a stable sort, as pycocotools' mergesort).
        var ranked = matches.Select((m, i) => (m.Score, m.IsTp, i)).OrderByDescending(m => m.Score).ThenBy(m => m.i).ToArray();
        var precision = new double[ranked.Length];
        var recall = new double[ranked.Length];
        long tp = 0, fp = 0;
        for (var i = 0; i < ranked.Length; i++)
        {
            if (ranked[i].IsTp) tp++; else fp++;
            precision[i] = (double)tp / (tp + fp);
            recall[i] = (double)tp / positives;
        }
        for (var i = ranked.Length - 1; i > 0; i--) precision[i - 1] = Math.Max(precision[i - 1], precision[i]);
        var curve = new double[RecallPoints.Length];
        for (var r = 0; r < RecallPoints.Length; r++)
        {
            var at = LowerBound(recall, RecallPoints[r]);
            curve[r] = at < precision.Length ? precision[at] : 0;
        }
        return (curve.Average(), curve);
    }

    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>Every kept detection of class <paramref name="c"/> over all images with its score and TP flag, and the ground-truth count.</summary>
    private (List<(double Score, bool IsTp)>, long) MatchClass(int c, double threshold)
    {
        var matches = new List<(double, bool)>();
        long positives = 0;
        // pycocotools compares with min(t, 1 − 1e-10), so a perfect box matches at threshold 1.
        var iouFloor = Math.Min(threshold, 1 - 1e-10);
        foreach (var image in _images)
        {
            var truths = image.Targets.Where(b => b.Label == c).ToArray();
            positives += truths.Length;
            var detections = image.Predictions.Where(b => b.Label == c)
                .Select((b, i) => (b, i)).OrderByDescending(d => d.b.Score).ThenBy(d => d.i).Take(MaxDetections).Select(d => d.b).ToArray();
            var taken = new bool[truths.Length];
            foreach (var d in detections)
            {
                var best = -1;
                var bestIou = iouFloor;
                for (var g = 0; g < truths.Length; g++)
                {
                    if (taken[g]) continue;
                    var iou = Iou(d, truths[g]);
                    if (iou < bestIou) continue;
                    bestIou = iou;
                    best = g;
                }
                if (best >= 0) taken[best] = true;
                matches.Add((d.Score, best >= 0));
            }
        }
        return (matches, positives);
    }

    private static double Iou(Box a, Box b)
    {
        var w = Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1);
        var h = Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1);
        if (w <= 0 || h <= 0) return 0;
        var inter = w * h;
        var union = (a.X2 - a.X1) * (a.Y2 - a.Y1) + (b.X2 - b.X1) * (b.Y2 - b.Y1) - inter;
        return union <= 0 ? 0 : inter / union;
    }

    private Box[] ReadBoxes(Detections d, string what)
    {
        using var scope = NewDisposeScope();
        var boxes = HostValues.Of<double>(d.Boxes.detach().to(ScalarType.Float64).cpu());
        var labels = HostValues.Of<long>(d.Labels.detach().to(ScalarType.Int64).cpu());
        var scores = d.Scores is null ? null : HostValues.Of<double>(d.Scores.detach().to(ScalarType.Float64).cpu());
        var result = new Box[labels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0 || labels[i] >= NumClasses)
                throw new ArgumentException($"{Name}: {what} box {i} has class {labels[i]}, outside 0..{NumClasses - 1}.");
            result[i] = new Box(boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3], (int)labels[i], scores?[i] ?? 1);
        }
        return result;
    }

    private readonly record struct Box(double X1, double Y1, double X2, double Y2, int Label, double Score);

    private sealed record ImageBoxes(Box[] Predictions, Box[] Targets);
}
