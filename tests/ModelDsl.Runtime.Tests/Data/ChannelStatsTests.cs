using ModelDsl.Augmentation;
using ModelDsl.Data;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Data;

public class ChannelStatsTests
{
    [Fact]
    public void Streaming_stats_equal_a_direct_computation()
    {
        var gen = new Generator(5);
        using var images = rand([103, 3, 5, 6], generator: gen) * tensor(new float[] { 1f, 0.5f, 0.2f }).view(1, 3, 1, 1);
        using var ds = new TensorDataset(images.clone(), zeros(103, dtype: ScalarType.Int64));
        var stats = ChannelStats.Compute(ds, batchSize: 10);
        using var mean = images.to_type(ScalarType.Float64).mean([0, 2, 3]);
        using var std = images.to_type(ScalarType.Float64).std([0, 2, 3], unbiased: false);
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(mean[c].item<double>(), stats.Mean[c], 9);
            Assert.Equal(std[c].item<double>(), stats.Std[c], 9);
        }
        Assert.Equal(103L * 30, stats.PixelsPerChannel);
    }

    [Fact]
    public void Bundled_mnist_has_the_known_statistics_and_normalize_uses_them()
    {
        using var ds = BundledData.LoadMnist();
        var stats = ChannelStats.Compute(ds);
        Assert.InRange(stats.Mean[0], 0.12, 0.14);   // full MNIST: 0.1307
        Assert.InRange(stats.Std[0], 0.30, 0.32);    // full MNIST: 0.3081
        var norm = new Normalize(stats.Mean, stats.Std);
        using var all = ds.Images.to_type(ScalarType.Float32).div(255);
        using var z = norm.Apply(all);
        Assert.Equal(0, z.mean().item<float>(), 3);
        Assert.Equal(1, z.std(unbiased: false).item<float>(), 3);
    }
}
