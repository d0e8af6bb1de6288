using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

public class DenseLossTests
{
    [Fact]
    public void Pixel_cross_entropy_is_pytorchs_weighted_mean_with_ignored_pixels()
    {
        using var scope = NewDisposeScope();
        var logits = randn([2, 3, 5, 4], generator: new Generator(1));
        var targets = randint(0, 3, [2, 5, 4], generator: new Generator(2));
        targets[0, 0] = full(4, 255L);            // one row of ignored pixels
        var weights = new[] { 0.5, 2.0, 1.0 };

        var ours = Loss.PixelCrossEntropy(weights, ignoreIndex: 255).Compute(logits, targets).item<float>();
        var libtorch = nn.functional.cross_entropy(logits, targets, weight: tensor(weights).to(ScalarType.Float32), ignore_index: 255).item<float>();
        Assert.Equal(libtorch, ours, 1e-5);
        var plain = Loss.PixelCrossEntropy().Compute(logits, targets).item<float>();
        Assert.Equal(nn.functional.cross_entropy(logits, targets, ignore_index: 255).item<float>(), plain, 1e-5);

        // Every pixel ignored: 0, not NaN (libtorch's mean would divide by zero).
        Assert.Equal(0f, Loss.PixelCrossEntropy().Compute(logits, full([2, 5, 4], 255L)).item<float>());
    }

    [Fact]
    public void Dice_loss_matches_a_hand_computation()
    {
        // One image, 1×2 pixels, 2 classes. Softmax probabilities of class 1: p = σ(2) ≈ 0.8808 and σ(−1) ≈ 0.2689.
        // Targets (1, 0). Class 1: Σp·g = 0.8808, Σp + Σg = 1.1497 + 1; class 0: Σp·g = 1 − 0.2689, Σp + Σg = 0.8503 + 1.
        var logits = tensor(new float[] { 0, 0, 2, -1 }).reshape(1, 2, 1, 2);
        var targets = tensor(new long[] { 1, 0 }).reshape(1, 1, 2);
        double p1 = 1 / (1 + Math.Exp(-2)), p2 = 1 / (1 + Math.Exp(1));
        var dice1 = (2 * p1 + 1) / (p1 + p2 + 1 + 1);
        var dice0 = (2 * (1 - p2) + 1) / ((1 - p1) + (1 - p2) + 1 + 1);
        Assert.Equal(1 - (dice0 + dice1) / 2, Loss.Dice().Compute(logits, targets).item<float>(), 5);

        // An ignored pixel counts for nothing: ignoring the second pixel equals a 1×1 image of the first.
        var ignored = tensor(new long[] { 1, 255 }).reshape(1, 1, 2);
        var single = Loss.Dice().Compute(logits[.., .., .., 0..1], targets[.., .., 0..1]).item<float>();
        Assert.Equal(single, Loss.Dice().Compute(logits, ignored).item<float>(), 5);
    }

    [Fact]
    public void Dense_losses_refuse_mismatched_shapes_and_float_masks()
    {
        var e = Assert.Throws<ArgumentException>(() => Loss.PixelCrossEntropy().Compute(zeros(2, 3, 4, 4), zeros(2, 4, 5, ScalarType.Int64)));
        Assert.Contains("[2, 3, 4, 4]", e.Message);
        Assert.Contains("[2, 4, 5]", e.Message);
        e = Assert.Throws<ArgumentException>(() => Loss.Dice().Compute(zeros(2, 3, 4, 4), zeros(2, 4, 4)));
        Assert.Contains("integer class-index targets", e.Message);
        e = Assert.Throws<ArgumentException>(() => Loss.PixelCrossEntropy([1.0, 2.0]).Compute(zeros(2, 3, 4, 4), zeros(2, 4, 4, ScalarType.Int64)));
        Assert.Contains("2 class weights for 3 classes", e.Message);
    }
}
