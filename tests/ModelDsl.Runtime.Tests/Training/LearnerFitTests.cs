using ModelDsl.Data;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static ModelDsl.Runtime.Tests.Training.TrainingTestUtil;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

[Collection("Training")]
public class LearnerFitTests
{
    [Fact]
    public void Fit_reduces_the_loss_on_a_separable_problem()
    {
        Seeding.Everything(1);
        using var data = new SyntheticData();
        using var model = new TinyNet();
        using var learner = new Learner(model, data.Train(), data.Valid(), Options(OptimizerSpec.Adam()));
        var history = learner.FitOneCycle(6, 0.02);

        Assert.Equal(6, history.Count);
        Assert.True(history[^1].TrainLoss < 0.5 * history[0].TrainLoss, $"train loss {history[0].TrainLoss} -> {history[^1].TrainLoss}");
        Assert.True(history[^1].ValidLoss < history[0].ValidLoss);
        Assert.True(history[^1].Get("accuracy") > 0.9, $"accuracy {history[^1].Get("accuracy")}");
        Assert.Null(learner.StopReason);
    }

    [Fact]
    public void A_second_fit_appends_to_the_history_with_continuing_epoch_numbers()
    {
        Seeding.Everything(2);
        using var data = new SyntheticData(64);
        using var model = new TinyNet();
        using var learner = new Learner(model, data.Train(), data.Valid(), Options(OptimizerSpec.AdamW()));
        learner.Fit(1, 1e-3);
        learner.Fit(2, 1e-3, LrSchedule.CosineWithWarmup());
        Assert.Equal(new[] { 0, 1, 2 }, learner.History.Select(r => r.Epoch));
    }

    [Fact]
    public void Schedule_is_applied_per_batch()
    {
        Seeding.Everything(3);
        using var data = new SyntheticData(64);
        using var model = new TinyNet();
        var rec = new Recorder();
        using var learner = new Learner(model, data.Train(batchSize: 16), null, Options(null, rec));
        learner.FitOneCycle(3, 0.1);
        var schedule = LrSchedule.OneCycle();
        Assert.Equal(0.95, learner.CurrentMomentum["Head"], 12); // last step: momentum back at its maximum
        Assert.Equal(12, rec.Lrs.Count);
        for (int i = 0; i < 12; i++) Assert.Equal(0.1 * schedule.Factor(i, 12, 4), rec.Lrs[i], 12);
        Assert.True(double.IsNaN(learner.History[0].ValidLoss)); // no validation loader
    }

    [Fact]
    public void Freeze_keeps_the_frozen_stage_unchanged_and_stage_rates_apply()
    {
        Seeding.Everything(4);
        using var data = new SyntheticData(64);
        using var model = new TinyNet();
        // AdamW with weight decay: would move every weight if a frozen stage still got a rate.
        using var learner = new Learner(model, data.Train(), data.Valid(), Options(OptimizerSpec.AdamW(weightDecay: 0.1)));
        Assert.Equal(new[] { "Features", "Head" }, learner.StageNames);

        learner.Freeze("Features");
        var before = Snapshot(model);
        learner.Fit(2, 1e-2);
        var after = model.state_dict();
        foreach (var name in before.Keys)
        {
            bool same = Same(before[name], after[name]);
            if (name.StartsWith("Features.")) Assert.True(same, $"{name} changed while frozen");
            else Assert.False(same, $"{name} did not train");
        }
        Assert.Equal(0.0, learner.CurrentLearningRates["Features"]);
        Assert.Equal(1e-2, learner.CurrentLearningRates["Head"]);

        learner.Unfreeze();
        learner.SetStageLearningRate("Features", 1e-4);
        learner.Fit(1, 1e-2);
        Assert.Equal(1e-4, learner.CurrentLearningRates["Features"]);
        Assert.Equal(1e-2, learner.CurrentLearningRates["Head"]);
        Assert.False(Same(before["Features.Conv1.weight"], model.state_dict()["Features.Conv1.weight"]));
        foreach (var t in before.Values) t.Dispose();
    }

    [Fact]
    public void Without_stages_each_parameterised_layer_is_a_group()
    {
        using var data = new SyntheticData(32);
        using var model = new StagelessNet();
        using var learner = new Learner(model, data.Train(), null, Options());
        Assert.Equal(2, learner.StageNames.Count);
        learner.Freeze(learner.StageNames[0]);
        learner.Fit(1, 1e-2);
        Assert.Equal(0.0, learner.CurrentLearningRates[learner.StageNames[0]]);
    }

    [Fact]
    public void Hand_written_modules_group_by_their_registered_children()
    {
        using var data = new SyntheticData(32);
        using var model = nn.Sequential(("body", nn.Sequential(nn.Flatten(), nn.Linear(16, 8), nn.ReLU())), ("head", nn.Linear(8, 2)));
        using var learner = new Learner(model, data.Train(), data.Valid(), Options());
        Assert.Equal(new[] { "body", "head" }, learner.StageNames);
        var h = learner.Fit(2, 0.05);
        Assert.Equal(2, h.Count);
    }

    [Fact]
    public void Unknown_stage_names_list_the_real_ones()
    {
        using var data = new SyntheticData(32);
        using var model = new TinyNet();
        using var learner = new Learner(model, data.Train(), null, Options());
        var e = Assert.Throws<ArgumentException>(() => learner.Freeze("Backbone"));
        Assert.Contains("Features, Head", e.Message);
    }

    [Fact]
    public void Gradient_clipping_and_every_optimizer_train()
    {
        foreach (var opt in new OptimizerSpec[] { OptimizerSpec.SGD(nesterov: true, weightDecay: 1e-4), OptimizerSpec.Adam(), OptimizerSpec.AdamW() })
        {
            Seeding.Everything(5);
            using var data = new SyntheticData(128);
            using var model = new TinyNet();
            var o = Options(opt);
            using var learner = new Learner(model, data.Train(), data.Valid(), new LearnerOptions
            {
                Optimizer = o.Optimizer, Metrics = o.Metrics, Device = CPU, Output = OutputMode.Silent, GradientClipNorm = 1.0,
            });
            var h = learner.FitOneCycle(3, opt is SgdSpec ? 0.1 : 0.02);
            Assert.Equal(0.95, learner.CurrentMomentum["Features"], 12);
            Assert.True(h[^1].TrainLoss < h[0].TrainLoss, $"{opt}: {h[0].TrainLoss} -> {h[^1].TrainLoss}");
        }
    }

    [Fact]
    public void GetPredictions_returns_all_outputs_in_order_and_Validate_matches_the_history()
    {
        Seeding.Everything(6);
        using var data = new SyntheticData(100);
        using var model = new TinyNet();
        using var learner = new Learner(model, data.Train(), data.Valid(), Options());
        learner.Fit(1, 0.05);
        var (p, t) = learner.GetPredictions(data.Valid(batchSize: 30));
        using (p) using (t)
        {
            Assert.Equal(new long[] { 100, 2 }, p.shape);
            Assert.True(Same(t, data.Y));
        }
        using (var one = learner.Predict(data.X.narrow(0, 0, 5))) Assert.Equal(new long[] { 5, 2 }, one.shape);
        var (loss, metrics) = learner.Validate();
        Assert.Equal(learner.History[0].ValidLoss, loss, 12);
        Assert.Equal("accuracy", metrics[0].Key);
        Assert.True(model.training); // Validate restores training mode
    }

    /// <summary>Has a settable Epoch like ModelDsl's DataLoader (its shuffle derives from seed and epoch).</summary>
    private sealed class EpochAwareLoader(TensorLoader inner) : IEnumerable<Batch>
    {
        public List<int> Seen { get; } = new();
        public int Epoch { get; set; }
        public int Count => inner.Count;
        public IEnumerator<Batch> GetEnumerator() { Seen.Add(Epoch++); return inner.GetEnumerator(); }
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public void The_learner_sets_a_loaders_epoch_so_resumed_shuffles_match()
    {
        var dir = TempDir();
        try
        {
            using var data = new SyntheticData(32);
            using var model = new TinyNet();
            var loader = new EpochAwareLoader(data.Train());
            using var learner = new Learner(model, loader, null, Options(null, new Recorder(stopAfterEpoch: 1), new CheckpointEveryEpoch(Path.Combine(dir, "c.ckpt"))));
            learner.LrFind(iterations: 3); // enumerates the loader too; must not shift the epochs that follow
            learner.Fit(4, 1e-3);
            Assert.Equal(new[] { 0, 1 }, loader.Seen.TakeLast(2));

            using var model2 = new TinyNet();
            var loader2 = new EpochAwareLoader(data.Train());
            using var learner2 = new Learner(model2, loader2, null, Options());
            learner2.Resume(Path.Combine(dir, "c.ckpt"));
            Assert.Equal(new[] { 2, 3 }, loader2.Seen);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Default_device_is_cuda_when_visible_else_cpu()
    {
        Assert.Equal(cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, Learner.DefaultDevice.type);
    }
}
