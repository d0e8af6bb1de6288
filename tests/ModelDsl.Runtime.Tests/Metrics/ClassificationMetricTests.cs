using ModelDsl.Metrics;
using TorchSharp;
using Xunit;
using static ModelDsl.Runtime.Tests.Metrics.Fixtures;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Metrics;

public class ClassificationMetricTests
{
    private static double Run(IMetric m, Tensor p, Tensor t)
    {
        m.Update(p, t);
        return m.Compute();
    }

    [Fact]
    public void Multiclass_confusion_matrix_matches_hand_count()
    {
        using var cm = new ConfusionMatrix(3);
        cm.Update(McPred(), McTarget());
        Assert.Equal(McConfusion, cm.Compute());
        var norm = cm.ComputeNormalized();
        Assert.Equal(0.5, norm[1, 0], 12);
        Assert.Equal(2.0 / 3, norm[2, 2], 12);
    }

    [Theory]
    [InlineData(Average.Micro, 0.75, 0.75, 0.75)]
    [InlineData(Average.Macro, McMacroP, McMacroR, McMacroF1)]
    [InlineData(Average.Weighted, McWeightedP, McWeightedR, McWeightedF1)]
    [InlineData(Average.None, McMacroP, McMacroR, McMacroF1)] // the epoch table's one number (IMetric.Compute) of None = macro mean
    public void Multiclass_precision_recall_f1_every_average(Average avg, double p, double r, double f1)
    {
        using var P = new Precision(3, avg); using var R = new Recall(3, avg); using var F = new F1Score(3, avg);
        Assert.Equal(p, Run(P, McPred(), McTarget()), 9);
        Assert.Equal(r, Run(R, McPred(), McTarget()), 9);
        Assert.Equal(f1, Run(F, McPred(), McTarget()), 9);
    }

    [Fact]
    public void Multiclass_per_class_scores()
    {
        using var P = Precision.Multiclass(3, Average.None);
        using var R = Recall.Multiclass(3, Average.None);
        using var F = F1Score.Multiclass(3, Average.None);
        P.Update(McPred(), McTarget()); R.Update(McPred(), McTarget()); F.Update(McPred(), McTarget());
        AssertArray(McPrecision, P.ComputePerClass());
        AssertArray(McRecall, R.ComputePerClass());
        AssertArray(McF1, F.ComputePerClass());
        AssertArray(McPrecision, P.Compute().ToArray()); // None: Compute() is the per-class vector, as torchmetrics' average=None
        AssertArray(McF1, F.Compute().ToArray());
        Assert.Equal("precision", P.Name);
        Assert.Equal("recall_micro", new Recall(3).Name); // torchmetrics' task wrapper defaults to micro
        Assert.Equal("recall_macro", Recall.Multiclass(3).Name); // its MulticlassRecall to macro
    }

    [Fact]
    public void Macro_leaves_out_classes_never_seen_nor_predicted_weighted_is_unchanged()
    {
        // Same data declared with 4 classes: class 3 has tp = fp = fn = 0 → excluded from macro (sklearn only
        // sees labels present; torchmetrics zero-weights them); per-class score for it is 0.
        using var P = new Precision(4, Average.Macro);
        using var W = new F1Score(4, Average.Weighted);
        Assert.Equal(McMacroP, Run(P, tensor(McLogits).reshape(8, 3).nn_pad(), McTarget()), 9);
        Assert.Equal(McWeightedF1, Run(W, tensor(McLogits).reshape(8, 3).nn_pad(), McTarget()), 9);
        Assert.Equal(0.0, P.ComputePerClass()[3]);
    }

    [Fact]
    public void Accuracy_error_rate_and_top_k()
    {
        using var acc = new Accuracy(3);
        using var err = new ErrorRate();
        using var top2 = new Accuracy(3, topK: 2);
        using var top3 = new Accuracy(topK: 3);
        Assert.Equal(0.75, Run(acc, McPred(), McTarget()), 12);
        Assert.Equal(0.25, Run(err, McPred(), McTarget()), 12);
        Assert.Equal(7.0 / 8, Run(top2, McPred(), McTarget()), 12);
        Assert.Equal(1.0, Run(top3, McPred(), McTarget()), 12);
        Assert.Equal("top2_accuracy", top2.Name);
        Assert.Equal("error_rate", err.Name);
    }

    [Fact]
    public void Accuracy_accepts_integer_label_predictions()
    {
        using var acc = new Accuracy(3);
        Assert.Equal(0.75, Run(acc, tensor(new long[] { 0, 0, 0, 0, 1, 2, 2, 1 }), McTarget()), 12);
        using var cm = new ConfusionMatrix(3);
        cm.Update(tensor(new long[] { 0, 0, 0, 0, 1, 2, 2, 1 }), McTarget());
        Assert.Equal(McConfusion, cm.Compute());
    }

    [Fact]
    public void Balanced_error_rate_multiclass_and_binary()
    {
        using var ber = new BalancedErrorRate(3);
        Assert.Equal(5.0 / 18, Run(ber, McPred(), McTarget()), 12);
        AssertArray(new[] { 0.0, 0.5, 1.0 / 3 }, ber.ComputePerClass());
        using var bber = new BalancedErrorRate(2, ClassificationTask.Binary);
        Assert.Equal(0.5, Run(bber, tensor(BinLogits), tensor(BinTargets)), 12);
    }

    [Fact]
    public void Balanced_error_rate_of_majority_predictor_is_one_minus_one_over_present_classes()
    {
        // 3 classes present, always predicting class 0: recalls 1, 0, 0 → BER = 1 − 1/3.
        using var ber = new BalancedErrorRate(4);
        var logits = zeros(6, 4); logits[.., 0] = 1;
        Assert.Equal(2.0 / 3, Run(ber, logits, tensor(new long[] { 0, 0, 0, 1, 2, 2 })), 12);
    }

    [Theory]
    [InlineData(Average.Binary, 2.0 / 3, 0.5, 4.0 / 7)]
    [InlineData(Average.Micro, 0.5, 0.5, 0.5)]
    [InlineData(Average.Macro, 0.5, 0.5, (0.4 + 4.0 / 7) / 2)]
    [InlineData(Average.Weighted, 5.0 / 9, 0.5, (2 * 0.4 + 4 * 4.0 / 7) / 6)]
    public void Binary_from_logits_every_average(Average avg, double p, double r, double f1)
    {
        using var P = Precision.Binary(average: avg); using var R = Recall.Binary(average: avg); using var F = F1Score.Binary(average: avg);
        Assert.Equal(p, Run(P, tensor(BinLogits), tensor(BinTargets)), 9);
        Assert.Equal(r, Run(R, tensor(BinLogits).unsqueeze(1), tensor(BinTargets)), 9); // N×1 works too
        Assert.Equal(f1, Run(F, tensor(BinLogits), tensor(BinTargets).to(ScalarType.Float32)), 9); // float 0/1 targets
    }

    [Fact]
    public void Binary_per_class_accuracy_confusion_and_threshold()
    {
        using var P = Precision.Binary(average: Average.None);
        P.Update(tensor(BinLogits), tensor(BinTargets));
        AssertArray(new[] { 1.0 / 3, 2.0 / 3 }, P.ComputePerClass());
        Assert.Equal("precision", Precision.Binary().Name);

        using var acc = new Accuracy(task: ClassificationTask.Binary);
        Assert.Equal(0.5, Run(acc, tensor(BinLogits).unsqueeze(1), tensor(BinTargets)), 12);

        using var cm = new ConfusionMatrix(2, ClassificationTask.Binary);
        cm.Update(tensor(BinLogits), tensor(BinTargets));
        Assert.Equal(new long[,] { { 1, 1 }, { 2, 2 } }, cm.Compute()); // [[tn, fp], [fn, tp]]

        using var p7 = Precision.Binary(threshold: 0.7);
        using var r7 = Recall.Binary(threshold: 0.7);
        Assert.Equal(1.0, Run(p7, tensor(BinLogits), tensor(BinTargets)), 12);
        Assert.Equal(0.5, Run(r7, tensor(BinLogits), tensor(BinTargets)), 12);

        // Probabilities instead of logits: same decisions when fromLogits is false.
        using var probs = tensor(BinLogits).sigmoid();
        using var pp = Precision.Binary(fromLogits: false);
        Assert.Equal(2.0 / 3, Run(pp, probs, tensor(BinTargets)), 12);
    }

    [Theory]
    [InlineData(Average.Micro, 0.6, 0.75, 6.0 / 9)]
    [InlineData(Average.Macro, 0.5, 2.0 / 3, 5.0 / 9)]
    [InlineData(Average.Weighted, 0.625, 0.75, 2.0 / 3)]
    [InlineData(Average.None, 0.5, 2.0 / 3, 5.0 / 9)]
    public void Multilabel_every_average(Average avg, double p, double r, double f1)
    {
        var pred = tensor(MlLogits).reshape(4, 3);
        var tgt = tensor(MlTargets).reshape(4, 3);
        using var P = Precision.Multilabel(3, avg); using var R = Recall.Multilabel(3, avg); using var F = F1Score.Multilabel(3, avg);
        Assert.Equal(p, Run(P, pred, tgt), 9);
        Assert.Equal(r, Run(R, pred, tgt), 9);
        Assert.Equal(f1, Run(F, pred, tgt), 9);
        if (avg == Average.None)
        {
            AssertArray(new[] { 1.0, 0.5, 0.0 }, P.ComputePerClass());
            AssertArray(new[] { 1.0, 1.0, 0.0 }, R.ComputePerClass());
            AssertArray(new[] { 1.0, 2.0 / 3, 0.0 }, F.ComputePerClass());
        }
    }

    [Fact]
    public void Multilabel_macro_counts_every_label_even_an_empty_one()
    {
        // A 4th label, never true and never predicted: precision 0 and included in the macro mean
        // (sklearn/torchmetrics multilabel): (1 + 0.5 + 0 + 0)/4 = 0.375. Weighted ignores it (support 0): 0.625.
        var pred = cat(new[] { tensor(MlLogits).reshape(4, 3), full(4, 1, -5f) }, 1);
        var tgt = cat(new[] { tensor(MlTargets).reshape(4, 3), zeros(4, 1, ScalarType.Int64) }, 1);
        using var macro = Precision.Multilabel(4, Average.Macro);
        using var weighted = Precision.Multilabel(4, Average.Weighted);
        Assert.Equal(0.375, Run(macro, pred, tgt), 12);
        Assert.Equal(0.625, Run(weighted, pred, tgt), 12);
    }

    [Fact]
    public void Multilabel_accuracy_and_label_confusion()
    {
        using var acc = new Accuracy(3, task: ClassificationTask.Multilabel);
        Assert.Equal(0.75, Run(acc, tensor(MlLogits).reshape(4, 3), tensor(MlTargets).reshape(4, 3)), 12);
        using var cm = new ConfusionMatrix(3, ClassificationTask.Multilabel);
        cm.Update(tensor(MlLogits).reshape(4, 3), tensor(MlTargets).reshape(4, 3).to(ScalarType.Float32));
        var m = cm.ComputeMultilabel();
        // label 2: tn 2, fp 1, fn 1, tp 0
        Assert.Equal(2, m[2, 0, 0]); Assert.Equal(1, m[2, 0, 1]); Assert.Equal(1, m[2, 1, 0]); Assert.Equal(0, m[2, 1, 1]);
        Assert.Throws<InvalidOperationException>(() => cm.Compute());
    }

    [Fact]
    public void Half_precision_scores_work()
    {
        using var f1 = F1Score.Binary();
        Assert.Equal(4.0 / 7, Run(f1, tensor(BinLogits).to(ScalarType.Float16), tensor(BinTargets)), 9);
        using var acc = new Accuracy(3);
        Assert.Equal(0.75, Run(acc, McPred().to(ScalarType.BFloat16), McTarget()), 12);
    }

    [Fact]
    public void Streaming_equals_single_shot()
    {
        using var single = new F1Score(3, Average.Weighted);
        using var streamed = new F1Score(3, Average.Weighted);
        using var acc = new Accuracy(3, topK: 2);
        single.Update(McPred(), McTarget());
        var p = McPred(); var t = McTarget();
        streamed.Update(p[0..3], t[0..3]);
        streamed.Update(p[3..5], t[3..5]);
        streamed.Update(p[5..], t[5..]);
        acc.Update(p[0..3], t[0..3]);
        acc.Update(p[3..], t[3..]);
        Assert.Equal(single.Compute(), streamed.Compute(), 12);
        Assert.Equal(7.0 / 8, acc.Compute(), 12);
        using var cm = new ConfusionMatrix(3);
        cm.Update(p[0..4], t[0..4]); cm.Update(p[4..], t[4..]);
        Assert.Equal(McConfusion, cm.Compute());
    }

    [Fact]
    public void Reset_forgets_everything()
    {
        using var acc = new Accuracy(3);
        using var prec = new Precision(3, Average.Micro);
        acc.Update(McPred(), McTarget()); prec.Update(McPred(), McTarget());
        acc.Reset(); prec.Reset();
        Assert.Throws<InvalidOperationException>(() => acc.Compute());
        Assert.Throws<InvalidOperationException>(() => prec.Compute());
        // After a reset only the new batch counts: first 3 samples are all correct.
        acc.Update(McPred()[0..3], McTarget()[0..3]);
        prec.Update(McPred()[0..3], McTarget()[0..3]);
        Assert.Equal(1.0, acc.Compute());
        Assert.Equal(1.0, prec.Compute());
    }

    [Fact]
    public void Dense_multiclass_inputs_are_flattened()
    {
        // N×C×L scores against N×L targets: the same 8 samples arranged as 2×3×4.
        var p = McPred().reshape(2, 4, 3).permute(0, 2, 1); // [2, 3, 4]
        var t = McTarget().reshape(2, 4);
        using var cm = new ConfusionMatrix(3);
        cm.Update(p, t);
        Assert.Equal(McConfusion, cm.Compute());
    }

    [Fact]
    public void Ignore_index_skips_targets()
    {
        var t = McTarget().clone(); t[7] = -100; // drop sample 7 (a 2→1 error)
        using var acc = new Accuracy(3, ignoreIndex: -100);
        Assert.Equal(6.0 / 7, Run(acc, McPred(), t), 12);
        using var cm = new ConfusionMatrix(3, ignoreIndex: -100);
        cm.Update(McPred(), t);
        Assert.Equal(new long[,] { { 3, 0, 0 }, { 1, 1, 0 }, { 0, 0, 2 } }, cm.Compute());
    }

    internal static void AssertArray(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 9);
    }
}

internal static class TensorTestExtensions
{
    /// <summary>Adds a 4th class column with a very low score (never the argmax).</summary>
    internal static Tensor nn_pad(this Tensor t) => cat(new[] { t, full(t.shape[0], 1, -100f) }, 1);
}
