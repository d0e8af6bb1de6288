using ModelDsl.Metrics;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Metrics;

public class IoUTests
{
    [Fact]
    public void Box_iou_matched_pairs_and_pairwise()
    {
        // [0,0,2,2] vs [1,1,3,3]: intersection 1×1 = 1, union 4 + 4 − 1 = 7 → 1/7
        // [0,0,1,1] vs itself → 1;   [0,0,1,1] vs [2,2,3,3] → 0.   Mean = (1/7 + 1 + 0)/3
        var a = tensor(new[] { 0f, 0, 2, 2, 0, 0, 1, 1, 0, 0, 1, 1 }).reshape(3, 4);
        var b = tensor(new[] { 1f, 1, 3, 3, 0, 0, 1, 1, 2, 2, 3, 3 }).reshape(3, 4);
        using var m = new BoxIoU();
        m.Update(a[0..1], b[0..1]);
        m.Update(a[1..], b[1..]);
        Assert.Equal((1.0 / 7 + 1 + 0) / 3, m.Compute(), 6);

        // Pairwise: rows [0,0,2,2], [0,0,1,1]; columns [1,1,3,3], [2,2,3,3], [0,0,2,1]
        // [0,0,2,2]·[0,0,2,1]: inter 2×1 = 2, union 4 + 2 − 2 = 4 → 0.5;  [0,0,1,1]·[0,0,2,1]: inter 1, union 1 + 2 − 1 → 0.5
        var c = tensor(new[] { 1f, 1, 3, 3, 2, 2, 3, 3, 0, 0, 2, 1 }).reshape(3, 4);
        using var pw = BoxIoU.Pairwise(tensor(new[] { 0f, 0, 2, 2, 0, 0, 1, 1 }).reshape(2, 4), c);
        Assert.Equal(new long[] { 2, 3 }, pw.shape);
        var v = pw.data<float>().ToArray();
        var expected = new[] { 1.0 / 7, 0, 0.5, 0, 0, 0.5 };
        for (int i = 0; i < 6; i++) Assert.Equal(expected[i], v[i], 6);

        Assert.Throws<ArgumentException>(() => m.Update(randn(3, 5), randn(3, 5)));
        Assert.Throws<ArgumentException>(() => m.Update(randn(3, 4), randn(2, 4)));
    }

    // Segmentation fixture, N = 1, C = 3, 2×3 pixels:
    // targets [[0,0,1],[2,2,1]]   predicted [[0,1,1],[2,0,1]]
    // pairs (t,p): (0,0) (0,1) (1,1) (2,2) (2,0) (1,1) → confusion [[1,1,0],[0,2,0],[1,0,1]]
    // tp [1,2,1], fp [1,1,0], fn [1,0,1], support [2,2,2]
    // pixel accuracy 4/6; per class [1/2, 2/2, 1/2]; IoU [1/3, 2/3, 1/2] → mean 0.5
    private static (Tensor logits, Tensor targets) Seg()
    {
        var pred = tensor(new long[] { 0, 1, 1, 2, 0, 1 }).reshape(1, 2, 3);
        var logits = nn.functional.one_hot(pred, 3).permute(0, 3, 1, 2).to(ScalarType.Float32); // [1,3,2,3]
        return (logits, tensor(new long[] { 0, 0, 1, 2, 2, 1 }).reshape(1, 2, 3));
    }

    [Fact]
    public void Pixel_accuracy_and_mean_iou()
    {
        var (logits, t) = Seg();
        using var pa = new PixelAccuracy(3);
        using var iou = new MeanIoU(3);
        pa.Update(logits, t); iou.Update(logits, t);
        Assert.Equal(4.0 / 6, pa.Compute(), 12);
        ClassificationMetricTests.AssertArray(new[] { 0.5, 1.0, 0.5 }, pa.ComputePerClass());
        ClassificationMetricTests.AssertArray(new[] { 1.0 / 3, 2.0 / 3, 0.5 }, iou.ComputePerClass());
        Assert.Equal(0.5, iou.Compute(), 12);
    }

    [Fact]
    public void Dice_per_class_is_2tp_over_2tp_plus_fp_plus_fn()
    {
        // tp [1,2,1], fp [1,1,0], fn [1,0,1] → Dice [2/4, 4/5, 2/3]; a fourth class never seen is NaN and left out.
        var (logits, t) = Seg();
        using var dice = new DiceScore(4);
        dice.Update(cat([logits, zeros(1, 1, 2, 3)], 1), t);
        var perClass = dice.ComputePerClass();
        ClassificationMetricTests.AssertArray(new[] { 0.5, 0.8, 2.0 / 3 }, perClass[..3]);
        Assert.True(double.IsNaN(perClass[3]));
        Assert.Equal((0.5 + 0.8 + 2.0 / 3) / 3, dice.Compute(), 12);
        // Ignored pixels: ignoring class 2's target pixels removes its false negatives (and the 2→0 confusion).
        using var ignoring = new DiceScore(3, ignoreIndex: 2);
        ignoring.Update(logits, t);
        ClassificationMetricTests.AssertArray(new[] { 2.0 / 3, 0.8 }, ignoring.ComputePerClass()[..2]);
    }

    [Fact]
    public void Segmentation_ignore_index_and_absent_class()
    {
        // Pixel (row 1, col 2) ignored (255): it was a correct class-1 pixel → confusion [[1,1,0],[0,1,0],[1,0,1]]:
        // accuracy 3/5; IoU [1/3, 1/2, 1/2] → mean 4/9.
        var (logits, t) = Seg();
        t[0, 1, 2] = 255;
        using var pa = new PixelAccuracy(3, ignoreIndex: 255);
        using var iou = new MeanIoU(3, ignoreIndex: 255);
        pa.Update(logits, t); iou.Update(logits, t);
        Assert.Equal(0.6, pa.Compute(), 12);
        Assert.Equal(4.0 / 9, iou.Compute(), 12);

        // With a 4th class that never occurs: its IoU is NaN and left out of the mean.
        var (l2, t2) = Seg();
        using var iou4 = new MeanIoU(4);
        iou4.Update(cat(new[] { l2, full(1, 1, 2, 3, -1f) }, 1), t2);
        Assert.True(double.IsNaN(iou4.ComputePerClass()[3]));
        Assert.Equal(0.5, iou4.Compute(), 12);

        // Wrong target layout.
        Assert.Throws<ArgumentException>(() => iou.Update(logits, t.reshape(1, 1, 2, 3)));
    }
}
