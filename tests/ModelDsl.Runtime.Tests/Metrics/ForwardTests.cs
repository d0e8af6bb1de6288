using ModelDsl.Metrics;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Metrics;

/// <summary>
/// Per-batch values as torchmetrics' <c>metric(preds, target)</c> returns them: each call gives that batch's value alone,
/// and Compute afterwards gives the value over every batch, as if each had been an Update.
/// </summary>
public class ForwardTests
{
    private static readonly float[][] Logits1 = { new[] { 2f, 0f, 0f }, new[] { 0f, 2f, 0f }, new[] { 0f, 0f, 2f }, new[] { 2f, 0f, 0f } };
    private static readonly long[] Targets1 = { 0, 1, 1, 0 };   // 3 of 4 right
    private static readonly float[][] Logits2 = { new[] { 0f, 0f, 2f }, new[] { 0f, 2f, 0f } };
    private static readonly long[] Targets2 = { 0, 0 };         // 0 of 2 right

    private static Tensor Batch(float[][] rows) => tensor(rows.SelectMany(r => r).ToArray()).reshape(rows.Length, 3);

    [Fact]
    public void Accuracy_and_error_rate_give_each_batch_alone_and_accumulate_all()
    {
        using var accuracy = new Accuracy(3);
        using var error = new ErrorRate(3);
        using (var p1 = Batch(Logits1)) using (var t1 = tensor(Targets1))
        {
            Assert.Equal(0.75, accuracy.Forward(p1, t1), 12);
            Assert.Equal(0.25, error.Forward(p1, t1), 12);
        }
        using (var p2 = Batch(Logits2)) using (var t2 = tensor(Targets2))
        {
            Assert.Equal(0.0, accuracy.Forward(p2, t2), 12);
            Assert.Equal(1.0, error.Forward(p2, t2), 12);
        }
        Assert.Equal(0.5, accuracy.Compute(), 12);   // 3 of 6
        Assert.Equal(0.5, error.Compute(), 12);
    }

    [Fact]
    public void Precision_gives_each_batch_alone_reduced_as_Compute_reduces_and_accumulates_all()
    {
        using var macro = Precision.Multiclass(3);
        using var perClass = new Precision(3, Average.None);
        using var p1 = Batch(Logits1);
        using var t1 = tensor(Targets1);
        using var p2 = Batch(Logits2);
        using var t2 = tensor(Targets2);
        // Batch 1: class 0 predicted twice, right twice (1.0); class 1 once, right (1.0); class 2 once, wrong (0.0).
        Assert.Equal(new[] { 1.0, 1.0, 0.0 }, perClass.Forward(p1, t1).ToArray());
        Assert.Equal(2.0 / 3, (double)macro.Forward(p1, t1), 12);
        // Batch 2: class 1 once, wrong; class 2 once, wrong; class 0 never predicted (0, as torchmetrics' zero_division).
        Assert.Equal(new[] { 0.0, 0.0, 0.0 }, perClass.Forward(p2, t2).ToArray());
        Assert.Equal(0.0, (double)macro.Forward(p2, t2), 12);
        // Over both: class 0 2/2, class 1 1/2, class 2 0/2.
        Assert.Equal(new[] { 1.0, 0.5, 0.0 }, perClass.Compute().ToArray());
        Assert.Equal(0.5, (double)macro.Compute(), 12);
    }
}
