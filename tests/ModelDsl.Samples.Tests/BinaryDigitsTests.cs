using BinaryDigits;
using Xunit;

namespace ModelDsl.Samples.Tests;

/// <summary>The 3-class and binary MNIST sample on a few hundred bundled digits for one epoch.</summary>
public sealed class BinaryDigitsTests
{
    [Fact]
    public void Three_classes_and_both_binary_setups_train_and_the_argmax_misuse_is_refused()
    {
        var console = new StringWriter();
        var result = BinaryDigitsJob.Train(new BinaryDigitsSettings(Epochs: 1, BatchSize: 16, Limit: 320), console);
        string output = console.ToString();

        Assert.Contains("MnistNet: 1×28×28 -> 3", output);
        Assert.Contains("320 train, 320 test", output);
        // One epoch of 20 steps: well past chance (1/3 and 1/2).
        Assert.InRange(result.ThreeClassAccuracy, 0.6, 1.0);
        Assert.InRange(result.OneLogitAccuracy, 0.6, 1.0);
        Assert.InRange(result.TwoLogitAccuracy, 0.6, 1.0);

        // The misuse: an argmax accuracy on the single-column output throws the clear ArgumentException, and the sample prints it.
        Assert.Contains("single column", result.MisuseMessage);
        Assert.Contains("ClassificationTask.Binary", result.MisuseMessage);
        Assert.Contains($"ArgumentException: {result.MisuseMessage}", output);
        Assert.InRange(result.ShareOfClassZero, 0.2, 0.8);
        Assert.Contains($"would have reported {result.ShareOfClassZero:F4}", output);
    }

    [Fact]
    public void Subset_keeps_only_the_asked_digits_relabelled_in_order()
    {
        using var mnist = ModelDsl.Data.BundledData.LoadMnist(train: false);
        using var subset = BinaryDigitsJob.Subset(mnist, [3, 8], limit: null);

        Assert.Equal(["3", "8"], subset.ClassNames);
        long threes = mnist.Labels.eq(3L).sum().item<long>(), eights = mnist.Labels.eq(8L).sum().item<long>();
        Assert.Equal(threes + eights, subset.Count);
        Assert.Equal(eights, subset.Labels.sum().item<long>());
    }
}
