using ModelDsl.Training;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

/// <summary>
/// L1 regularisation beside weight decay (the course): with a loss that carries no gradient, one plain SGD step moves every
/// weight by exactly lr·λ·sign(w) towards 0; the reported loss stays the data loss; a negative λ is refused.
/// </summary>
[Collection("Training")]
public class L1RegularisationTests
{
    [Fact]
    public void One_step_pulls_every_weight_towards_zero_by_lr_times_lambda()
    {
        const double lr = 0.1, lambda = 0.01;
        Seeding.Everything(5);
        using var data = new SyntheticData(16);
        using var model = new TinyNet();
        var before = model.parameters().Select(p => p.detach().clone()).ToList();
        // A data loss with no gradient: 0 × the output's sum.
        var zero = Loss.Custom("zero", (output, _) => output.sum() * 0);
        var losses = new List<double>();
        using var learner = new Learner(model, data.Train(batchSize: 16), null, new LearnerOptions
        {
            Loss = zero,
            Optimizer = OptimizerSpec.SGD(momentum: 0),
            L1 = lambda,
            Device = CPU,
            Writer = TextWriter.Null,
            Callbacks = { new LossRecorder(losses) },
        });
        learner.Fit(1, lr, LrSchedule.Constant);
        var after = model.parameters().ToList();
        for (int i = 0; i < after.Count; i++)
        {
            using var expected = before[i] - before[i].sign() * (lr * lambda);
            Assert.True(after[i].allclose(expected, rtol: 0, atol: 1e-7), $"parameter {i}");
        }
        Assert.All(losses, l => Assert.Equal(0, l));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Learner(model, data.Train(), null, new LearnerOptions { L1 = -1, Device = CPU }));
    }

    private sealed class LossRecorder(List<double> losses) : ILearnerCallback
    {
        public void OnBatchLoss(Learner learner, BatchInfo batch) => losses.Add(batch.Loss);
    }
}
