using ModelDsl.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static ModelDsl.Runtime.Tests.Training.TrainingTestUtil;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

/// <summary>
/// A user's own optimizer and schedule (OptimizerSpec.Custom, LrSchedule.Custom): the Learner drives them as its own —
/// the schedule's rate reaches every group, the optimizer's state goes into checkpoints, and a resumed run is bit-identical.
/// </summary>
[Collection("Training")]
public class CustomOptimizerTests
{
    private static OptimizerSpec Adagrad() => OptimizerSpec.Custom("Adagrad",
        (groups, lr) => optim.Adagrad(groups.Select(g => new Adagrad.ParamGroup(g, lr)), lr));

    // Halves the rate linearly over the fit: a pure function of the step, as resume needs.
    private static CustomSchedule LinearDecay() => LrSchedule.Custom("linear-decay", (step, total, _) => 1.0 - 0.5 * step / Math.Max(1, total - 1));

    private static (List<double> Losses, Learner Learner) Run(string? checkpoint, int? stopAfter, Action<Learner>? after = null)
    {
        Seeding.Everything(5);
        var data = new SyntheticData(96);
        var model = new TinyNet();
        var rec = new Recorder(stopAfter);
        var callbacks = checkpoint is null ? new ILearnerCallback[] { rec } : new ILearnerCallback[] { rec, new CheckpointEveryEpoch(checkpoint) };
        var learner = new Learner(model, data.Train(batchSize: 16), data.Valid(), Options(Adagrad(), callbacks));
        learner.Fit(4, 0.05, LinearDecay());
        after?.Invoke(learner);
        return (rec.Losses, learner);
    }

    [Fact]
    public void A_custom_optimizer_and_schedule_train_and_resume_bit_identically()
    {
        var dir = TempDir();
        var path = Path.Combine(dir, "run.ckpt");
        try
        {
            double lastRate = 0;
            var (straight, straightLearner) = Run(null, null, l => lastRate = l.Optimizer.ParamGroups.First().LearningRate);
            using (straightLearner)
            {
                Assert.IsType<Adagrad>(straightLearner.Optimizer);
                Assert.True(straightLearner.History[3].TrainLoss < straightLearner.History[0].TrainLoss, "Adagrad did not lower the loss");
            }
            Assert.Equal(0.025, lastRate, 12); // the schedule's last factor, ½, times the base rate reached the optimizer
            var (firstHalf, firstLearner) = Run(path, stopAfter: 1);
            firstLearner.Dispose();

            Seeding.Everything(999);
            using var data = new SyntheticData(96);
            using var model = new TinyNet();
            var rec = new Recorder();
            using var learner = new Learner(model, data.Train(batchSize: 16), data.Valid(), Options(Adagrad(), rec));
            // The checkpoint holds the schedule's name, not its code: without it, or with another, resume refuses, naming it.
            var missing = Assert.Throws<ArgumentException>(() => learner.Resume(path));
            Assert.Contains("'linear-decay'", missing.Message);
            var other = Assert.Throws<ArgumentException>(() => learner.Resume(path, LrSchedule.Custom("warmup", (_, _, _) => 1)));
            Assert.Contains("'warmup'", other.Message);

            var resumed = learner.Resume(path, LinearDecay());
            Assert.Equal(4, resumed.Count);
            var combined = firstHalf.Concat(rec.Losses).ToList();
            Assert.Equal(straight.Count, combined.Count);
            for (int i = 0; i < straight.Count; i++)
                Assert.True(BitConverter.DoubleToInt64Bits(straight[i]) == BitConverter.DoubleToInt64Bits(combined[i]), $"batch {i}: {straight[i]:R} vs {combined[i]:R}");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_custom_optimizer_with_the_wrong_groups_or_under_mixed_precision_and_a_bad_schedule_are_refused_naming_them()
    {
        using var data = new SyntheticData(32);
        // TinyNet has two stages, so the Learner hands over two groups; an optimizer that lumps them would escape Freeze and stage rates.
        var lumped = OptimizerSpec.Custom("Lumped", (groups, lr) => optim.SGD(groups.SelectMany(g => g), lr));
        using (var model = new TinyNet())
        {
            var e = Assert.Throws<InvalidOperationException>(() => new Learner(model, data.Train(batchSize: 16), data.Valid(), Options(lumped)));
            Assert.Contains("'Lumped' has 1 parameter group(s) but the Learner gave it 2", e.Message);
        }
        using (var model = new TinyNet())
        {
            var e = Assert.Throws<NotSupportedException>(() => new Learner(model, data.Train(batchSize: 16), data.Valid(), new LearnerOptions { Optimizer = Adagrad(), Device = CPU, Output = OutputMode.Silent, MixedPrecision = MixedPrecision.BFloat16 }));
            Assert.Contains("'Adagrad'", e.Message);
        }
        using var net = new TinyNet();
        using var learner = new Learner(net, data.Train(batchSize: 16), data.Valid(), Options(Adagrad()));
        var refused = Assert.Throws<InvalidOperationException>(() => learner.Fit(1, 0.1, LrSchedule.Custom("negative", (_, _, _) => -1)));
        Assert.Contains("'negative'", refused.Message);
        Assert.Throws<ArgumentException>(() => LrSchedule.Custom("a:b", (_, _, _) => 1));
        // A checkpoint of a built-in schedule holds it: a custom one passed to Resume is refused, not ignored.
        string dir = TempDir(), path = Path.Combine(dir, "builtin.ckpt");
        try
        {
            using (var net2 = new TinyNet())
            using (var first = new Learner(net2, data.Train(batchSize: 16), data.Valid(), Options(Adagrad(), new CheckpointEveryEpoch(path), new Recorder(stopAfterEpoch: 0))))
                first.FitOneCycle(2, 0.05);
            using var net3 = new TinyNet();
            using var second = new Learner(net3, data.Train(batchSize: 16), data.Valid(), Options(Adagrad()));
            var e = Assert.Throws<ArgumentException>(() => second.Resume(path, LrSchedule.Custom("mine", (_, _, _) => 1)));
            Assert.Contains("built-in schedule", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }
}
