using ModelDsl.Data;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Data;

public class SubsetDatasetTests
{
    [Fact]
    public void Without_the_inner_fast_paths_samples_are_written_from_Get_and_the_loader_batches_them()
    {
        // TensorDataset has no ISampleWriter: the subset writes from Get. Images 0..5 hold the values 10·i .. 10·i+3.
        var images = arange(24, dtype: ScalarType.Byte).reshape(6, 1, 2, 2).add_(tensor(new byte[] { 0, 6, 12, 18, 24, 30 }).reshape(6, 1, 1, 1));
        using var inner = new TensorDataset(images, tensor(new long[] { 0, 1, 0, 1, 0, 1 }));
        var subset = new SubsetDataset(inner, [4, 1]);

        var floats = new float[4];
        Assert.Equal(0, subset.WriteSample(0, floats));
        Assert.Equal(new[] { 40f, 41f, 42f, 43f }.Select(v => v / 255f), floats);
        var bytes = new byte[4];
        Assert.Equal(1, subset.WriteSampleBytes(1, bytes));
        Assert.Equal(new byte[] { 10, 11, 12, 13 }, bytes);

        using var loader = new DataLoader(subset, 2);
        using var batch = loader.Single();
        Assert.Equal(new long[] { 0, 1 }, batch.Targets.data<long>().ToArray());
        Assert.Equal(40f / 255f, batch.Inputs[0, 0, 0, 0].item<float>(), 6);
    }

    [Fact]
    public void An_index_outside_the_inner_dataset_is_refused_when_the_subset_is_built()
    {
        using var inner = new TensorDataset(zeros(3, 1, 2, 2), tensor(new long[] { 0, 1, 0 }));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SubsetDataset(inner, [0, 3]));
        Assert.Contains("3 samples", e.Message);
    }
}
