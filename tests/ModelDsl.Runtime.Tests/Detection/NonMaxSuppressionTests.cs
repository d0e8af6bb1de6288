using ModelDsl.Detection;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Detection;

public class NonMaxSuppressionTests
{
    // A [0,0,10,10] .9, B [1,1,11,11] .8 (IoU with A: 81/119 = 0.68), C [20,20,30,30] .7, D = A's box, .95.
    private static readonly Tensor Boxes = tensor(new float[] { 0, 0, 10, 10, 1, 1, 11, 11, 20, 20, 30, 30, 0, 0, 10, 10 }).reshape(4, 4);
    private static readonly Tensor Scores = tensor(new float[] { 0.9f, 0.8f, 0.7f, 0.95f });

    [Theory]
    [InlineData(0.5, new long[] { 3, 2 })]        // D first; A (IoU 1) and B (0.68) go
    [InlineData(0.7, new long[] { 3, 1, 2 })]     // B's 0.68 is not above 0.7
    [InlineData(1.0, new long[] { 3, 0, 1, 2 })]  // only IoU > 1 suppresses: nothing
    public void Keeps_the_best_box_and_drops_those_overlapping_it_more_than_the_threshold(double threshold, long[] expected)
    {
        using var keep = NonMaxSuppression.Apply(Boxes, Scores, threshold);
        Assert.Equal(expected, keep.data<long>().ToArray());
    }

    [Fact]
    public void Boxes_of_different_classes_never_suppress_each_other()
    {
        using var labels = tensor(new long[] { 0, 1, 0, 0 });
        using var keep = NonMaxSuppression.PerClass(Boxes, Scores, labels, 0.5);
        Assert.Equal(new long[] { 3, 1, 2 }, keep.data<long>().ToArray());
    }

    [Fact]
    public void Random_boxes_agree_with_a_literal_greedy_reference()
    {
        var random = new Random(4);
        for (var trial = 0; trial < 30; trial++)
        {
            var k = random.Next(0, 40);
            var raw = new float[k * 4];
            var scores = new float[k];
            for (var i = 0; i < k; i++)
            {
                float x = random.Next(0, 50), y = random.Next(0, 50);
                raw[4 * i] = x; raw[4 * i + 1] = y; raw[4 * i + 2] = x + random.Next(1, 25); raw[4 * i + 3] = y + random.Next(1, 25);
                scores[i] = (float)random.NextDouble();
            }
            var threshold = random.NextDouble();
            using var keep = NonMaxSuppression.Apply(tensor(raw).reshape(k, 4), tensor(scores), threshold);
            Assert.Equal(Greedy(raw, scores, threshold), keep.data<long>().ToArray());
        }
    }

    [Fact]
    public void Boxes_read_from_files_round_trip_through_detections_for_the_reports()
    {
        var read = new[] { new ModelDsl.Data.LabeledBox(3, 1, 2, 10, 12), new ModelDsl.Data.LabeledBox(0, 5.5, 6, 7, 8.25) };
        using var d = ModelDsl.Detection.Detections.FromBoxes(read);
        Assert.Equal(2, d.Count);
        Assert.Equal(read, d.ToScoredBoxes().Select(s => s.Box));
        Assert.All(d.ToScoredBoxes(), s => Assert.Equal(1.0, s.Score));
        using var none = ModelDsl.Detection.Detections.FromBoxes([]);
        Assert.Empty(none.ToScoredBoxes());
    }

    private static long[] Greedy(float[] b, float[] s, double threshold)
    {
        double Iou(int i, int j)
        {
            double w = Math.Max(0, Math.Min(b[4 * i + 2], b[4 * j + 2]) - Math.Max(b[4 * i], b[4 * j]));
            double h = Math.Max(0, Math.Min(b[4 * i + 3], b[4 * j + 3]) - Math.Max(b[4 * i + 1], b[4 * j + 1]));
            double u = (b[4 * i + 2] - b[4 * i]) * (b[4 * i + 3] - b[4 * i + 1]) + (b[4 * j + 2] - b[4 * j]) * (b[4 * j + 3] - b[4 * j + 1]) - w * h;
            return w * h / u;
        }
        var order = Enumerable.Range(0, s.Length).OrderByDescending(i => s[i]).ThenBy(i => i).ToList();
        var kept = new List<long>();
        foreach (var i in order)
            if (kept.All(j => Iou(i, (int)j) <= threshold)) kept.Add(i);
        return kept.ToArray();
    }
}
