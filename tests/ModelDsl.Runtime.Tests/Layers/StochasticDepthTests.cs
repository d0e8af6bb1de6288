using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Layers;

/// <summary>torchvision's StochasticDepth semantics: whole samples (or the whole batch) dropped in training, survivors scaled; the identity in eval.</summary>
public class StochasticDepthTests
{
    [Fact]
    public void Row_mode_drops_whole_samples_and_scales_the_rest_in_training_only()
    {
        manual_seed(3);
        using var sd = new StochasticDepth(0.5);
        using var x = ones(400, 2, 3, 3);
        sd.train();
        using var y = sd.call(x);
        var perSample = y.view(400, -1);
        // Each sample is all 0 or all 1/(1 − p) = 2.
        using var dropped = perSample.eq(0).all(1);
        using var kept = perSample.eq(2).all(1);
        Assert.True(dropped.logical_or(kept).all().item<bool>());
        long keptCount = kept.sum().item<long>();
        Assert.InRange(keptCount, 140, 260); // binomial(400, 0.5): ±6 standard deviations
        sd.eval();
        using var same = sd.call(x);
        Assert.True(same.eq(x).all().item<bool>());
        Assert.Throws<ArgumentOutOfRangeException>(() => new StochasticDepth(1));
    }

    [Fact]
    public void Batch_mode_keeps_or_drops_the_batch_together()
    {
        manual_seed(4);
        using var sd = new StochasticDepth(0.3, rowMode: false);
        sd.train();
        for (int i = 0; i < 20; i++)
        {
            using var y = sd.call(ones(8, 4));
            float first = y[0, 0].item<float>();
            Assert.True(y.eq(first).all().item<bool>());
            Assert.Contains(first, new[] { 0f, (float)(1 / 0.7) });
        }
    }
}
