using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static ModelDsl.Runtime.Tests.Training.TrainingTestUtil;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

[Collection("Training")]
public class CheckpointTests
{
    private static (List<double> Losses, History History) Run(string? checkpoint, int? stopAfter, OptimizerSpec opt)
    {
        Seeding.Everything(11);
        using var data = new SyntheticData(96);
        using var model = new TinyNet();
        var rec = new Recorder(stopAfter);
        var callbacks = checkpoint is null ? new ILearnerCallback[] { rec } : new ILearnerCallback[] { rec, new CheckpointEveryEpoch(checkpoint) };
        using var learner = new Learner(model, data.Train(batchSize: 16), data.Valid(), Options(opt, callbacks));
        learner.FitOneCycle(4, 0.05);
        return (rec.Losses, learner.History);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adamw")]
    [InlineData("rmsprop")]
    public void Resume_after_two_epochs_is_bit_identical_to_four_straight(string which)
    {
        OptimizerSpec opt = which switch
        {
            "sgd" => OptimizerSpec.SGD(momentum: 0.9, nesterov: true, weightDecay: 1e-3),
            "rmsprop" => OptimizerSpec.RMSprop(momentum: 0.9, weightDecay: 1e-4),
            _ => OptimizerSpec.AdamW(),
        };
        var dir = TempDir();
        var path = Path.Combine(dir, "run.ckpt");
        try
        {
            var (straight, straightHistory) = Run(null, null, opt);
            var (firstHalf, firstHistory) = Run(path, stopAfter: 1, opt);
            Assert.Equal(2, firstHistory.Count);

            // A new process in spirit: a different RNG state, a freshly initialised model and learner.
            Seeding.Everything(999);
            using var data = new SyntheticData(96);
            using var model = new TinyNet();
            var rec = new Recorder();
            using var learner = new Learner(model, data.Train(batchSize: 16), data.Valid(), Options(opt, rec));
            var resumed = learner.Resume(path);

            Assert.Equal(4, resumed.Count);
            var combined = firstHalf.Concat(rec.Losses).ToList();
            Assert.Equal(straight.Count, combined.Count);
            for (int i = 0; i < straight.Count; i++)
                Assert.True(BitConverter.DoubleToInt64Bits(straight[i]) == BitConverter.DoubleToInt64Bits(combined[i]), $"batch {i}: {straight[i]:R} vs {combined[i]:R}");
            for (int e = 0; e < 4; e++)
            {
                Assert.Equal(straightHistory[e].TrainLoss, resumed[e].TrainLoss);
                Assert.Equal(straightHistory[e].ValidLoss, resumed[e].ValidLoss);
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Loading_into_another_architecture_lists_names_and_shapes()
    {
        var dir = TempDir();
        try
        {
            var path = Path.Combine(dir, "tiny.ckpt");
            using var data = new SyntheticData(32);
            using var model = new TinyNet();
            using var learner = new Learner(model, data.Train(), null, Options());
            learner.SaveCheckpoint(path);
            Assert.Equal(new[] { "tiny.ckpt" }, Directory.GetFiles(dir).Select(Path.GetFileName)); // no temp file left behind

            using var other = new TinyNet3();
            var ck = Checkpoint.Load(path);
            var before = Snapshot(other);
            var e = Assert.Throws<CheckpointMismatchException>(() => ck.LoadInto(other));
            Assert.Contains("TinyNet", e.Message);
            Assert.Contains("shape mismatch: Head.Linear1.weight checkpoint [2, 64] vs model [3, 64]", e.Message);
            Assert.Contains("shape mismatch: Head.Linear1.bias checkpoint [2] vs model [3]", e.Message);
            Assert.Equal(2, e.Mismatches.Count);
            Assert.True(Same(before["Features.Conv1.weight"], other.state_dict()["Features.Conv1.weight"])); // nothing applied

            using var renamed = nn.Sequential(("fc", nn.Linear(16, 2)));
            var e2 = Assert.Throws<CheckpointMismatchException>(() => ck.LoadInto(renamed));
            Assert.Contains("missing in checkpoint: fc.weight [2, 16]", e2.Message);
            Assert.Contains("unexpected in checkpoint (not in model): Features.Conv1.weight [4, 1, 3, 3]", e2.Message);
            foreach (var t in before.Values) t.Dispose();
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Save_and_load_round_trips_weights_buffers_and_state()
    {
        var dir = TempDir();
        try
        {
            var path = Path.Combine(dir, "sub", "a.ckpt");
            Seeding.Everything(12);
            using var data = new SyntheticData(64);
            using var model = new TinyNet();
            using var learner = new Learner(model, data.Train(), data.Valid(), Options(null, new SaveBest(path)));
            learner.Fit(2, 0.05);
            Assert.True(File.Exists(path));

            using var copy = new TinyNet();
            using var learner2 = new Learner(copy, data.Train(), null, Options());
            var ck = learner2.Load(path, withOptimizer: true);
            Assert.True(ck.State.Epoch >= 1);
            Assert.NotNull(ck.State.RngState);
            Assert.Equal(typeof(TinyNet).FullName, ck.State.ModelType);
            if (ck.State.Epoch == 2)
                foreach (var (k, v) in model.state_dict()) Assert.True(Same(v, copy.state_dict()[k]), k);

            File.WriteAllText(Path.Combine(dir, "junk.ckpt"), "hello");
            Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(Path.Combine(dir, "junk.ckpt")));
        }
        finally { Directory.Delete(dir, true); }
    }
}
