using ModelDsl.Metrics;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Metrics;

public class RocTests
{
    [Fact]
    public void Binary_auroc_classic_example()
    {
        // sklearn's roc_auc_score doc example: scores [0.1, 0.4, 0.35, 0.8], y [0, 0, 1, 1] → 0.75
        // (pairs pos>neg: 0.35>0.1, 0.8>0.1, 0.8>0.4 → 3 of 4).
        using var auc = new Auroc(fromLogits: false);
        auc.Update(tensor(new[] { 0.1f, 0.4f, 0.35f, 0.8f }), tensor(new long[] { 0, 0, 1, 1 }));
        Assert.Equal(0.75, auc.Compute(), 6);
    }

    [Fact]
    public void Ties_count_half_and_curve_has_one_point_per_distinct_score()
    {
        // scores [0.9, 0.7, 0.7, 0.3, 0.3], y [1, 1, 0, 1, 0]. Positives {0.9, 0.7, 0.3}, negatives {0.7, 0.3}:
        // pairs: 0.9>0.7 1, 0.9>0.3 1, 0.7=0.7 ½, 0.7>0.3 1, 0.3<0.7 0, 0.3=0.3 ½ → 4/6.
        // Curve (thresholds ∞, 0.9, 0.7, 0.3): tps 0 1 2 3, fps 0 0 1 2 → tpr 0 ⅓ ⅔ 1, fpr 0 0 ½ 1.
        var r = RocCurve.FromScores(new[] { 0.9, 0.7, 0.7, 0.3, 0.3 }, new[] { true, true, false, true, false });
        Assert.Equal(new[] { 0, 0, 0.5, 1 }, r.FalsePositiveRate);
        Assert.Equal(new[] { 0, 1.0 / 3, 2.0 / 3, 1 }, r.TruePositiveRate);
        Assert.Equal(new[] { double.PositiveInfinity, 0.9, 0.7, 0.3 }, r.Thresholds);
        Assert.Equal(4.0 / 6, r.Auc, 12);

        // All scores tied → the diagonal, 0.5.
        Assert.Equal(0.5, RocCurve.FromScores(new[] { 0.5, 0.5, 0.5, 0.5 }, new[] { false, true, false, true }).Auc, 12);
    }

    [Fact]
    public void Streaming_with_logits_equals_probabilities()
    {
        // Sigmoid is monotonic: AUROC of logits (fromLogits) = AUROC of the same probabilities.
        var logits = tensor(new[] { 2.0f, -1.0f, 0.5f, -0.3f, 1.0f, -2.0f, 0.5f });
        var y = tensor(new long[] { 1, 0, 0, 1, 1, 1, 1 });
        using var a = new Auroc();
        a.Update(logits[0..3], y[0..3]); a.Update(logits[3..].unsqueeze(1), y[3..]);
        using var b = new Auroc(fromLogits: false);
        b.Update(logits.sigmoid(), y);
        Assert.Equal(b.Compute(), a.Compute(), 12);
        // Hand count: positives {2, −0.3, 1, −2, 0.5}, negatives {−1, 0.5}: vs −1: 2,1,0.5,−0.3 win, −2 loses → 4;
        // vs 0.5: 2 and 1 win, 0.5 ties (½), −0.3 and −2 lose → 2.5; (4 + 2.5)/10 = 0.65.
        Assert.Equal(0.65, a.Compute(), 12);
    }

    [Fact]
    public void Multiclass_one_vs_rest_macro()
    {
        // Class 0 scores [.7 .2 .1 .3 .5 .2], positives {.7,.3} vs {.2,.1,.5,.2}: .7 wins 4, .3 wins 3 → 7/8.
        // Class 1 scores [.2 .5 .3 .4 .3 .2], positives {.5,.3} vs {.2,.3,.4,.2}: .5 wins 4, .3 → 1+½+0+1 → 6.5/8.
        // Class 2 scores [.1 .3 .6 .3 .2 .6], positives {.6,.6} beat all 4 negatives → 1.
        // Macro = (0.875 + 0.8125 + 1)/3.
        var p = tensor(new[] { .7f, .2f, .1f, .2f, .5f, .3f, .1f, .3f, .6f, .3f, .4f, .3f, .5f, .3f, .2f, .2f, .2f, .6f }).reshape(6, 3);
        var t = tensor(new long[] { 0, 1, 2, 0, 1, 2 });
        using var auc = new Auroc(ClassificationTask.Multiclass, 3, fromLogits: false);
        auc.Update(p, t);
        ClassificationMetricTests.AssertArray(new[] { 0.875, 0.8125, 1.0 }, auc.ComputePerClass());
        Assert.Equal((0.875 + 0.8125 + 1) / 3, auc.Compute(), 6);
        using var roc = new RocCurve(ClassificationTask.Multiclass, 3, fromLogits: false);
        roc.Update(p, t);
        Assert.Equal(3, roc.Compute().Length);
    }

    [Fact]
    public void Undefined_auroc_throws_and_reset_clears()
    {
        using var auc = new Auroc(fromLogits: false);
        auc.Update(tensor(new[] { 0.1f, 0.9f }), tensor(new long[] { 0, 0 }));
        Assert.Contains("only negatives", Assert.Throws<InvalidOperationException>(() => auc.Compute()).Message);
        auc.Reset();
        auc.Update(tensor(new[] { 0.1f, 0.9f }), tensor(new long[] { 0, 1 }));
        Assert.Equal(1.0, auc.Compute(), 12);
    }
}
