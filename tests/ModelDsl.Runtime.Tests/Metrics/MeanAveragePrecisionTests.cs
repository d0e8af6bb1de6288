using ModelDsl.Detection;
using ModelDsl.Metrics;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Metrics;

/// <summary>mAP on hand-made cases with known answers, and against a brute-force reference written here.</summary>
public class MeanAveragePrecisionTests
{
    private static Detections Truth(params (double X1, double Y1, double X2, double Y2, long Label)[] boxes) =>
        new(tensor(boxes.SelectMany(b => new[] { b.X1, b.Y1, b.X2, b.Y2 }).ToArray(), ScalarType.Float32).reshape(boxes.Length, 4),
            tensor(boxes.Select(b => b.Label).ToArray()));

    private static Detections Pred(params (double X1, double Y1, double X2, double Y2, long Label, double Score)[] boxes) =>
        new(tensor(boxes.SelectMany(b => new[] { b.X1, b.Y1, b.X2, b.Y2 }).ToArray(), ScalarType.Float32).reshape(boxes.Length, 4),
            tensor(boxes.Select(b => b.Label).ToArray()),
            tensor(boxes.Select(b => b.Score).ToArray(), ScalarType.Float32));

    [Fact]
    public void One_perfect_box_is_1()
    {
        var map = new MeanAveragePrecision(numClasses: 2);
        map.Update([Pred((0, 0, 10, 10, 1, 0.9))], [Truth((0, 0, 10, 10, 1))]);
        var r = map.ComputeAll();
        Assert.Equal(1.0, r.Map, 12);
        Assert.Equal(1.0, r.Map50, 12);
        Assert.Equal(1.0, r.Map75, 12);
        Assert.Equal(new[] { -1.0, 1.0 }, r.PerClassMap);
    }

    [Fact]
    public void A_second_detection_of_a_matched_box_is_a_false_positive()
    {
        // A (IoU 0.64, score 0.9) takes the box first wherever 0.64 ≥ t; then B (IoU 1, score 0.8) is a duplicate.
        // t = 0.50, 0.55, 0.60: [TP, FP] → AP 1.   t = 0.65 … 0.95: [FP, TP] → precision 0.5 at recall 1 → AP 0.5.
        var map = new MeanAveragePrecision(numClasses: 1);
        map.Update([Pred((0, 0, 10, 6.4, 0, 0.9), (0, 0, 10, 10, 0, 0.8))], [Truth((0, 0, 10, 10, 0))]);
        var r = map.ComputeAll();
        Assert.Equal(1.0, r.Map50, 12);
        Assert.Equal(0.5, r.Map75, 12);
        Assert.Equal((3 * 1.0 + 7 * 0.5) / 10, r.Map, 12);
        var (precision, recall) = map.PrecisionRecall(iouThreshold: 0.5, scoreThreshold: 0);
        Assert.Equal(0.5, precision, 12);
        Assert.Equal(1.0, recall, 12);
        var (p85, r85) = map.PrecisionRecall(iouThreshold: 0.5, scoreThreshold: 0.85);
        Assert.Equal((1.0, 1.0), (p85, r85));
    }

    [Theory]
    [InlineData(5.0, 1.0)]      // IoU exactly 0.5 matches at 0.5 (≥)
    [InlineData(4.999, 0.0)]    // IoU 0.4999 misses
    public void IoU_at_the_threshold_matches_and_just_under_it_misses(double height, double expectedAp50)
    {
        var map = new MeanAveragePrecision(numClasses: 1);
        map.Update([Pred((0, 0, 10, height, 0, 0.9))], [Truth((0, 0, 10, 10, 0))]);
        Assert.Equal(expectedAp50, map.ComputeAll().Map50, 12);
    }

    [Fact]
    public void A_class_without_ground_truth_is_left_out_and_one_without_detections_counts_zero()
    {
        var map = new MeanAveragePrecision(numClasses: 3);
        // class 0: perfect; class 1: ground truth, no detection; class 2: only a (false) detection.
        map.Update([Pred((0, 0, 10, 10, 0, 0.9), (50, 50, 60, 60, 2, 0.8))], [Truth((0, 0, 10, 10, 0), (20, 20, 30, 30, 1))]);
        var r = map.ComputeAll();
        Assert.Equal(new[] { 1.0, 0.0, -1.0 }, r.PerClassMap50);
        Assert.Equal(0.5, r.Map50, 12);
        Assert.Equal([0, 1], r.Curves.Select(c => c.Class));
    }

    [Theory]
    [InlineData(3, 0.0)]    // the true box is the 4th best of its image: cut
    [InlineData(4, 0.25)]   // kept at rank 4: precision 1/4 at recall 1
    public void Only_the_best_max_detections_per_image_count(int maxDetections, double expectedAp50)
    {
        var map = new MeanAveragePrecision(numClasses: 1, maxDetections: maxDetections);
        map.Update([Pred((20, 20, 30, 30, 0, 0.9), (40, 40, 50, 50, 0, 0.8), (60, 60, 70, 70, 0, 0.7), (0, 0, 10, 10, 0, 0.6))],
                   [Truth((0, 0, 10, 10, 0))]);
        Assert.Equal(expectedAp50, map.ComputeAll().Map50, 12);
    }

    [Fact]
    public void Padded_tensors_and_several_updates_give_what_one_list_update_gives()
    {
        var (preds, truths) = RandomScene(new Random(3), images: 6, classes: 3);
        var once = new MeanAveragePrecision(3);
        once.Update(preds, truths);
        var streamed = new MeanAveragePrecision(3);
        streamed.Update(preds.Take(2).ToList(), truths.Take(2).ToList());
        streamed.Update(Padded(preds.Skip(2).ToList(), withScores: true), Padded(truths.Skip(2).ToList(), withScores: false));
        Assert.Equal(6, streamed.ImageCount);
        Assert.Equal(once.ComputeAll().Map, streamed.ComputeAll().Map, 12);
        streamed.Reset();
        Assert.Throws<InvalidOperationException>(() => streamed.Compute());
    }

    [Fact]
    public void Random_scenes_agree_with_a_brute_force_reference()
    {
        var random = new Random(11);
        for (var scene = 0; scene < 40; scene++)
        {
            var classes = random.Next(1, 4);
            var (preds, truths) = RandomScene(random, images: random.Next(1, 6), classes);
            var map = new MeanAveragePrecision(classes);
            map.Update(preds, truths);
            var r = map.ComputeAll();
            var reference = BruteForce(preds, truths, classes);
            Assert.Equal(reference.Map, r.Map, 9);
            Assert.Equal(reference.Map50, r.Map50, 9);
        }
    }

    [Fact]
    public void Bad_input_is_named()
    {
        var map = new MeanAveragePrecision(2);
        var e = Assert.Throws<ArgumentException>(() => map.Update([Pred((0, 0, 1, 1, 5, 0.5))], [Truth((0, 0, 1, 1, 0))]));
        Assert.Contains("image 0's predictions box 0 has class 5, outside 0..1", e.Message);
        e = Assert.Throws<ArgumentException>(() => map.Update([Truth((0, 0, 1, 1, 0))], [Truth((0, 0, 1, 1, 0))]));
        Assert.Contains("need scores", e.Message);
        e = Assert.Throws<ArgumentException>(() => map.Update(zeros(2, 3, 5), zeros(2, 3, 5)));
        Assert.Contains("[N, M, 6]", e.Message);
    }

    // --- helpers -------------------------------------------------------------------------------------------

    private static (List<Detections>, List<Detections>) RandomScene(Random random, int images, int classes)
    {
        var preds = new List<Detections>();
        var truths = new List<Detections>();
        for (var i = 0; i < images; i++)
        {
            var gt = Enumerable.Range(0, random.Next(0, 5)).Select(_ =>
            {
                double x = random.Next(0, 80), y = random.Next(0, 80);
                return (x, y, x + random.Next(5, 20), y + random.Next(5, 20), (long)random.Next(classes));
            }).ToArray();
            // Detections: jittered copies of some truths (some with the wrong class), plus random boxes; scores on a
            // coarse grid so that ties happen.
            var det = gt.Where(_ => random.NextDouble() < 0.8).SelectMany(g => Enumerable.Range(0, random.Next(1, 3)).Select(_ =>
                (g.x + random.Next(-3, 4), g.y + random.Next(-3, 4), g.Item3 + random.Next(-3, 4), g.Item4 + random.Next(-3, 4),
                 random.NextDouble() < 0.85 ? g.Item5 : random.Next(classes), random.Next(1, 10) / 10.0)))
                .Concat(Enumerable.Range(0, random.Next(0, 3)).Select(_ =>
                {
                    double x = random.Next(0, 80), y = random.Next(0, 80);
                    return (x, y, x + 10.0, y + 10.0, (long)random.Next(classes), random.Next(1, 10) / 10.0);
                })).ToArray();
            truths.Add(gt.Length == 0 ? Detections.Empty(false) : Truth(gt));
            preds.Add(det.Length == 0 ? Detections.Empty(true) : Pred(det));
        }
        return (preds, truths);
    }

    private static Tensor Padded(List<Detections> images, bool withScores)
    {
        var width = withScores ? 6 : 5;
        var rows = Math.Max(1, images.Max(d => (int)d.Count));
        var result = full(new long[] { images.Count, rows, width }, -1f);
        for (var i = 0; i < images.Count; i++)
        {
            var d = images[i];
            if (d.Count == 0) continue;
            var values = withScores
                ? cat([d.Boxes, d.Scores!.unsqueeze(1), d.Labels.to(ScalarType.Float32).unsqueeze(1)], 1)
                : cat([d.Boxes, d.Labels.to(ScalarType.Float32).unsqueeze(1)], 1);
            result[i, ..(int)d.Count] = values;
        }
        return result;
    }

    /// <summary>
    /// COCO evaluation written the slow, literal way: interpolated precision at recall r = the maximum precision over
    /// every rank whose recall is ≥ r (no monotone pass, no binary search); greedy matching by a full scan.
    /// </summary>
    private static (double Map, double Map50) BruteForce(List<Detections> preds, List<Detections> truths, int classes)
    {
        static List<double[]> Rows(Detections d)
        {
            if (d.Count == 0) return new List<double[]>();
            var b = d.Boxes.to(ScalarType.Float64).data<double>().ToArray();
            var l = d.Labels.data<long>().ToArray();
            var s = d.Scores?.to(ScalarType.Float64).data<double>().ToArray();
            return Enumerable.Range(0, l.Length).Select(i => new[] { b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3], l[i], s?[i] ?? 1, i }).ToList();
        }
        static double Iou(double[] a, double[] b)
        {
            var w = Math.Max(0, Math.Min(a[2], b[2]) - Math.Max(a[0], b[0]));
            var h = Math.Max(0, Math.Min(a[3], b[3]) - Math.Max(a[1], b[1]));
            var u = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - w * h;
            return u <= 0 ? 0 : w * h / u;
        }
        var thresholds = Enumerable.Range(0, 10).Select(i => Math.Round(0.5 + 0.05 * i, 2)).ToArray();
        var perThreshold = new List<double>();
        foreach (var t in thresholds)
        {
            var aps = new List<double>();
            for (var c = 0; c < classes; c++)
            {
                var scored = new List<(double Score, int Image, int Index, bool Tp)>();
                var positives = 0;
                for (var img = 0; img < preds.Count; img++)
                {
                    var gts = Rows(truths[img]).Where(r => r[4] == c).ToList();
                    positives += gts.Count;
                    var dets = Rows(preds[img]).Where(r => r[4] == c).OrderByDescending(r => r[5]).ThenBy(r => r[6]).Take(100).ToList();
                    var used = new HashSet<int>();
                    foreach (var d in dets)
                    {
                        int best = -1; double bestIou = Math.Min(t, 1 - 1e-10);
                        for (var g = 0; g < gts.Count; g++)
                            if (!used.Contains(g) && Iou(d, gts[g]) >= bestIou) { bestIou = Iou(d, gts[g]); best = g; }
                        if (best >= 0) used.Add(best);
                        scored.Add((d[5], img, (int)d[6], best >= 0));
                    }
                }
                if (positives == 0) continue;
                // Rank by score, ties in the order the detections were seen (image, then rank within the image).
                var ranked = scored.Select((s, order) => (s, order)).OrderByDescending(x => x.s.Score).ThenBy(x => x.order).Select(x => x.s).ToList();
                var prec = new List<double>(); var rec = new List<double>();
                int tp = 0, fp = 0;
                foreach (var s in ranked) { if (s.Tp) tp++; else fp++; prec.Add((double)tp / (tp + fp)); rec.Add((double)tp / positives); }
                double sum = 0;
                for (var k = 0; k <= 100; k++)
                {
                    var r = k / 100.0;
                    var candidates = Enumerable.Range(0, rec.Count).Where(i => rec[i] >= r).Select(i => prec[i]).ToList();
                    sum += candidates.Count == 0 ? 0 : candidates.Max();
                }
                aps.Add(sum / 101);
            }
            perThreshold.Add(aps.Count == 0 ? -1 : aps.Average());
        }
        var valid = perThreshold.Where(v => v >= 0).ToList();
        return (valid.Count == 0 ? -1 : valid.Average(), perThreshold[0]);
    }
}
