using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

public class LossTests
{
    [Fact]
    public void Cross_entropy_with_label_smoothing_matches_the_formula()
    {
        using var logits = tensor(new float[] { 2, 0, 0, 1 }).reshape(2, 2);
        using var y = tensor(new long[] { 0, 1 });
        using var plain = Loss.CrossEntropy().Compute(logits, y);
        using var smooth = Loss.CrossEntropy(0.1).Compute(logits, y);
        double l0 = Math.Log(1 + Math.Exp(-2)), l1 = Math.Log(1 + Math.Exp(-1));
        Assert.Equal((l0 + l1) / 2, plain.ToDouble(), 5);
        // smoothing: 0.95·(-log p_true) + 0.05·(-log p_other)
        double s0 = 0.95 * l0 + 0.05 * (2 + l0), s1 = 0.95 * l1 + 0.05 * (1 + l1);
        Assert.Equal((s0 + s1) / 2, smooth.ToDouble(), 5);
    }

    [Fact]
    public void Cross_entropy_on_a_single_column_says_what_to_use_instead()
    {
        using var logits = zeros(4, 1);
        using var y = zeros(4, dtype: ScalarType.Int64);
        var e = Assert.Throws<ArgumentException>(() => Loss.CrossEntropy().Compute(logits, y));
        Assert.Contains("BCEWithLogits", e.Message);
    }

    [Fact]
    public void Binary_losses_accept_int64_labels_for_a_one_unit_head()
    {
        using var logits = tensor(new float[] { 0, 0 }).reshape(2, 1);
        using var y = tensor(new long[] { 1, 0 });
        using var l = Loss.BCEWithLogits().Compute(logits, y);
        Assert.Equal(Math.Log(2), l.ToDouble(), 5);
        using var p = sigmoid(logits);
        using var b = Loss.BCE().Compute(p, y);
        Assert.Equal(Math.Log(2), b.ToDouble(), 5);
        using var m = Loss.MSE().Compute(logits, y);
        Assert.Equal(0.5, m.ToDouble(), 6);
        using var logp = tensor(new float[] { 0, 0 }).reshape(1, 2).log_softmax(1);
        using var n = Loss.NLL().Compute(logp, tensor(new long[] { 1 }));
        Assert.Equal(Math.Log(2), n.ToDouble(), 5);
        using var wrong = zeros(3);
        Assert.Throws<ArgumentException>(() => Loss.BCEWithLogits().Compute(logits, wrong));
    }
}
