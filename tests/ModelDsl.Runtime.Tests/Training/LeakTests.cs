using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static ModelDsl.Runtime.Tests.Training.TrainingTestUtil;

namespace ModelDsl.Runtime.Tests.Training;

[Collection("Training")]
public class LeakTests
{
    /// <summary>Reads TorchSharp's per-thread live tensor count at the end of every epoch.</summary>
    private sealed class LiveCount : ILearnerCallback
    {
        public List<long> Counts { get; } = new();
        public void OnEpochEnd(Learner learner, EpochRecord record) =>
            Counts.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Live_tensor_count_is_flat_across_epochs()
    {
        Seeding.Everything(41);
        using var data = new SyntheticData(128);
        using var model = new TinyNet();
        var live = new LiveCount();
        var o = Options(OptimizerSpec.AdamW(), live);
        using var learner = new Learner(model, data.Train(), data.Valid(), new LearnerOptions
        {
            Optimizer = o.Optimizer, Metrics = o.Metrics, Callbacks = o.Callbacks, Device = o.Device,
            Output = OutputMode.Silent, GradientClipNorm = 1.0,
        });
        learner.FitOneCycle(6, 1e-2);
        // Epoch 0 may create lazily-built state (gradients, optimizer moments); after that nothing may grow.
        var steady = live.Counts.Skip(1).ToList();
        Assert.True(steady.Distinct().Count() == 1, "live tensors per epoch: " + string.Join(", ", live.Counts));
    }
}
