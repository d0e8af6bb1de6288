using ModelDsl.Metrics;
using TorchSharp;
using Xunit;
using static ModelDsl.Runtime.Tests.Metrics.Fixtures;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Metrics;

public class MisuseTests
{
    [Fact]
    public void Argmax_on_a_single_column_is_the_04634_bug_and_says_how_to_fix_it()
    {
        using var acc = new Accuracy(2);
        var ex = Assert.Throws<ArgumentException>(() => acc.Update(randn(8, 1), tensor(new long[] { 0, 1, 0, 1, 1, 0, 0, 1 })));
        Assert.Contains("accuracy", ex.Message);
        Assert.Contains("[8, 1]", ex.Message);
        Assert.Contains("single column", ex.Message);
        Assert.Contains("ClassificationTask.Binary", ex.Message);
        Assert.Contains("NumClasses = 2", ex.Message);
        Assert.Contains("0.4634", ex.Message);

        // Also without numClasses, and for the count-based metrics and the report.
        using var acc2 = new Accuracy();
        Assert.Throws<ArgumentException>(() => acc2.Update(randn(8, 1), zeros(8, ScalarType.Int64)));
        using var f1 = new F1Score(2);
        Assert.Contains("single column", Assert.Throws<ArgumentException>(() => f1.Update(randn(8, 1), zeros(8, ScalarType.Int64))).Message);
        // A squeezed single output (1-D float scores) gets the same advice.
        using var rep = new ClassificationReport(2);
        Assert.Contains("ClassificationTask.Binary", Assert.Throws<ArgumentException>(() => rep.Update(randn(8), zeros(8, ScalarType.Int64))).Message);
    }

    [Fact]
    public void Targets_out_of_range_are_reported_with_the_range()
    {
        using var p = new Precision(3);
        var ex = Assert.Throws<ArgumentException>(() => p.Update(McPred(), tensor(new long[] { 0, 1, 2, 3, 0, 1, 2, -1 })));
        Assert.Contains("precision_micro", ex.Message);
        Assert.Contains("2 target value(s)", ex.Message);
        Assert.Contains("[0, 2]", ex.Message);
        // The failed batch left no trace.
        Assert.Throws<InvalidOperationException>(() => p.Compute());

        using var acc = new Accuracy(3);
        Assert.Throws<ArgumentException>(() => acc.Update(McPred(), tensor(new long[] { 0, 1, 2, 3, 0, 1, 2, 0 })));
    }

    [Fact]
    public void Deferred_validation_reports_at_compute()
    {
        // What happens on CUDA (no per-batch host sync): the bad targets are counted on the device.
        using var cm = new ConfusionMatrix(3);
        cm.State.ValidateEagerly = false;
        cm.Update(McPred(), tensor(new long[] { 0, 1, 2, 5, 0, 1, 2, 0 }));
        Assert.Contains("1 target value(s)", Assert.Throws<ArgumentException>(() => cm.Compute()).Message);
        using var acc = new Accuracy(3) { ValidateEagerly = false };
        acc.Update(McPred(), tensor(new long[] { 0, 1, 2, 5, 0, 1, 2, 0 }));
        Assert.Throws<ArgumentException>(() => acc.Compute());
    }

    [Fact]
    public void Binary_targets_must_be_zero_or_one()
    {
        using var p = Precision.Binary();
        Assert.Contains("not 0 or 1", Assert.Throws<ArgumentException>(() => p.Update(tensor(BinLogits), tensor(new long[] { 1, 0, 2, 1, 1, 1 }))).Message);
    }

    [Fact]
    public void Shape_mismatch_names_both_shapes()
    {
        using var acc = new Accuracy(3);
        var ex = Assert.Throws<ArgumentException>(() => acc.Update(randn(4, 3), zeros(5, ScalarType.Int64)));
        Assert.Contains("[4, 3]", ex.Message);
        Assert.Contains("[5]", ex.Message);
        using var r = new Recall(3);
        Assert.Contains("numClasses = 3", Assert.Throws<ArgumentException>(() => r.Update(randn(4, 5), zeros(4, ScalarType.Int64))).Message);
        using var b = Recall.Binary();
        Assert.Contains("ClassificationTask.Multiclass", Assert.Throws<ArgumentException>(() => b.Update(randn(4, 3), zeros(4, ScalarType.Int64))).Message);
        using var ml = Recall.Multilabel(3);
        Assert.Contains("[4, 3]", Assert.Throws<ArgumentException>(() => ml.Update(randn(4, 3), zeros(4, ScalarType.Int64))).Message);
        using var auc = new Auroc();
        Assert.Throws<ArgumentException>(() => auc.Update(randn(4), zeros(5, ScalarType.Int64)));
    }

    [Fact]
    public void Float_targets_for_a_multiclass_metric_are_rejected()
    {
        using var acc = new Accuracy(3);
        Assert.Contains("integer", Assert.Throws<ArgumentException>(() => acc.Update(McPred(), McTarget().to(ScalarType.Float32))).Message);
    }

    [Fact]
    public void Compute_before_update_is_an_error()
    {
        Assert.Throws<InvalidOperationException>(() => new Accuracy(3).Compute());
        Assert.Throws<InvalidOperationException>(() => new F1Score(3).Compute());
        Assert.Throws<InvalidOperationException>(() => new ConfusionMatrix(3).Compute());
        Assert.Throws<InvalidOperationException>(() => new Auroc().Compute());
        Assert.Throws<InvalidOperationException>(() => new BoxIoU().Compute());
        Assert.Throws<InvalidOperationException>(() => new MeanIoU(3).Compute());
        var ex = Assert.Throws<InvalidOperationException>(() => new ClassificationReport(3).Compute());
        Assert.Contains("before any Update", ex.Message);
    }

    [Fact]
    public void Bad_configuration_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new Precision(3, Average.Binary));
        Assert.Throws<ArgumentException>(() => new Accuracy(3, topK: 4));
        Assert.Throws<ArgumentException>(() => new F1Score(1));
        Assert.Throws<ArgumentException>(() => Precision.Binary(threshold: 1.5));
        using var top5 = new Accuracy(topK: 5);
        Assert.Contains("topK = 5", Assert.Throws<ArgumentException>(() => top5.Update(McPred(), McTarget())).Message);
    }
}
