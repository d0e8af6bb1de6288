using ModelDsl.Data;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

/// <summary>A BatchNorm1d after a Linear: one sample is one value per channel there.</summary>
[Model(Channels = 1, Height = 4, Width = 4)]
[Flatten, Linear(8), BatchNorm1d, ReLU, Linear(2)]
public partial class FlatBatchNormNet;

/// <summary>
/// A batch of one sample at a BatchNorm in training: PyTorch raises "Expected more than 1 value per channel when training";
/// TorchSharp calls libtorch directly, which writes NaN into the running variance. The Learner never lets that happen:
/// its training loader leaves out a last batch of one (saying so), and any other such batch is refused with PyTorch's reason.
/// </summary>
[Collection("Training")]
public class BatchNormSingleSampleTests
{
    private static TensorDataset Data(int n)
    {
        var g = new Generator(5);
        return new TensorDataset(rand([n, 1, 4, 4], generator: g), randint(0, 2, [n], generator: g));
    }

    private static bool RunningStatisticsFinite(nn.Module model)
        => model.named_buffers().Where(b => b.name.EndsWith("running_var", StringComparison.Ordinal) || b.name.EndsWith("running_mean", StringComparison.Ordinal))
            .All(b => b.buffer.isfinite().all().item<bool>());

    [Fact]
    public void Without_the_learner_libtorch_writes_NaN_into_the_running_variance()
    {
        // The danger itself, so the guard below is known to guard something real.
        using var norm = nn.BatchNorm1d(3);
        norm.train();
        using var one = randn(1, 3);
        using var _ = norm.forward(one);
        Assert.True(norm.running_var!.isnan().any().item<bool>());
    }

    [Fact]
    public void A_last_batch_of_one_is_left_out_with_a_line_and_the_statistics_stay_finite()
    {
        using var data = Data(9); // batches of 4: 4, 4, 1
        using var loader = new DataLoader(data, batchSize: 4, shuffle: true, seed: 1);
        Assert.Equal(3, loader.Count);
        var model = new FlatBatchNormNet();
        var output = new StringWriter();
        using var learner = new Learner(model, loader, options: new LearnerOptions { Device = CPU, Seed = 1, Output = OutputMode.Plain, Writer = output });
        Assert.Equal(2, loader.Count);
        Assert.Equal(8, loader.SampleCount);
        learner.Fit(2, 1e-2);
        Assert.True(RunningStatisticsFinite(model));
        Assert.Single(output.ToString().Split('\n'), l => l.Contains("last batch holds 1 sample", StringComparison.Ordinal) && l.Contains("'BatchNorm1'", StringComparison.Ordinal));
    }

    [Fact]
    public void Any_other_batch_of_one_is_refused_with_PyTorchs_reason_naming_the_layer()
    {
        using var data = Data(6);
        using var loader = new DataLoader(data, batchSize: 1);
        var model = new FlatBatchNormNet();
        using var learner = new Learner(model, loader, options: new LearnerOptions { Device = CPU, Output = OutputMode.Plain, Writer = TextWriter.Null });
        Assert.Equal(6, loader.Count); // batches of one throughout: nothing to leave out
        var e = Assert.Throws<InvalidOperationException>(() => learner.Fit(1, 1e-2));
        Assert.StartsWith("BatchNorm1d 'BatchNorm1': expected more than 1 value per channel when training, got input size [1, 8]", e.Message);
        Assert.True(RunningStatisticsFinite(model)); // refused before the layer ran
    }

    [Fact]
    public void A_model_without_batch_norm_keeps_its_batch_of_one_and_a_disposed_learner_unhooks_the_model()
    {
        using var data = Data(9);
        using var loader = new DataLoader(data, batchSize: 4);
        using (new Learner(new TinyNet(), loader, options: new LearnerOptions { Device = CPU, Output = OutputMode.Plain, Writer = TextWriter.Null }))
            Assert.Equal(3, loader.Count);

        var model = new FlatBatchNormNet();
        new Learner(model, loader, options: new LearnerOptions { Device = CPU, Output = OutputMode.Plain, Writer = TextWriter.Null }).Dispose();
        model.train();
        using var one = rand(1, 1, 4, 4);
        using var _ = model.forward(one); // PyTorch semantics are the learner's; the bare model is TorchSharp's again
    }
}
