using ModelDsl.Metrics;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static ModelDsl.Runtime.Tests.Training.TrainingTestUtil;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

[Collection("Training")]
public class CallbackTests
{
    /// <summary>Poisons the loss from (epoch 1, batch 2) on, and snapshots the weights just before it.</summary>
    private sealed class Poison : ILearnerCallback
    {
        public bool Active;
        public Dictionary<string, Tensor>? Before;

        public void OnBatchEnd(Learner learner, BatchInfo batch)
        {
            if (batch.Epoch == 1 && batch.Batch == 1)
            {
                Active = true;
                Before = Snapshot(learner.Model);
            }
        }
    }

    [Fact]
    public void NaN_guard_stops_naming_epoch_and_batch_and_keeps_the_last_finite_weights()
    {
        Seeding.Everything(21);
        using var data = new SyntheticData(128);
        using var model = new TinyNet();
        var poison = new Poison();
        var ce = Loss.CrossEntropy();
        var writer = new StringWriter();
        using var learner = new Learner(model, data.Train(), data.Valid(), new LearnerOptions
        {
            Loss = Loss.Custom("poisoned", (p, t) => poison.Active ? ce.Compute(p, t) * double.NaN : ce.Compute(p, t)),
            Callbacks = { poison },
            Device = CPU,
            Output = OutputMode.Plain,
            Writer = writer,
        });
        var history = learner.Fit(5, 0.01);

        Assert.Single(history); // epoch 0 finished, epoch 1 was cut short
        Assert.NotNull(learner.StopReason);
        Assert.Contains("loss became NaN at epoch 1, batch 2", learner.StopReason);
        Assert.Contains("loss became NaN at epoch 1, batch 2", writer.ToString());
        foreach (var (k, v) in poison.Before!) Assert.True(Same(v, model.state_dict()[k]), $"{k} changed by the NaN step");
    }

    [Fact]
    public void Early_stopping_stops_after_patience_epochs_without_improvement()
    {
        Seeding.Everything(22);
        using var data = new SyntheticData(64);
        using var model = new TinyNet();
        // minDelta 10 on a loss below 1: only the first epoch counts as an improvement.
        var es = new EarlyStopping("valid_loss", patience: 2, minDelta: 10);
        using var learner = new Learner(model, data.Train(), data.Valid(), Options(null, es));
        var history = learner.Fit(10, 1e-3);
        Assert.Equal(3, history.Count);
        Assert.StartsWith("Early stopping at epoch 2: valid_loss has not improved for 2 epoch(s)", learner.StopReason);
    }

    /// <summary>A metric whose value per epoch is scripted: the monitored curve is known exactly.</summary>
    private sealed class ScriptedMetric(string name, params double[] perEpoch) : IMetric
    {
        private int _epoch = -1;
        public string Name => name;
        public void Update(Tensor predictions, Tensor targets) { }
        public double Compute() => perEpoch[Math.Min(_epoch, perEpoch.Length - 1)];
        public void Reset() => _epoch++; // the Learner resets each metric once before every validation pass
    }

    // Rises to its best at epoch 2, then falls: maximised, patience 2 stops after epochs 3 and 4 fail to beat
    // 0.7 (5 epochs run); minimised (the wrong direction), epochs 1 and 2 would already fail to beat 0.5.
    [Theory]
    [InlineData(MonitorMode.Auto, 5, "Early stopping at epoch 4: f1 has not improved for 2 epoch(s) (best 0.7).")]
    [InlineData(MonitorMode.Max, 5, "Early stopping at epoch 4: f1 has not improved for 2 epoch(s) (best 0.7).")]
    [InlineData(MonitorMode.Min, 3, "Early stopping at epoch 2: f1 has not improved for 2 epoch(s) (best 0.5).")]
    public void Early_stopping_on_a_metric_maximises_it_unless_told_otherwise(MonitorMode mode, int epochsRun, string reason)
    {
        Seeding.Everything(23);
        using var data = new SyntheticData(64);
        using var model = new TinyNet();
        var es = new EarlyStopping("f1", patience: 2, mode: mode);
        var options = Options(null, es);
        options.Metrics.Add(new ScriptedMetric("f1", 0.5, 0.6, 0.7, 0.65, 0.64, 0.63, 0.62, 0.61));
        using var learner = new Learner(model, data.Train(), data.Valid(), options);

        var history = learner.Fit(8, 1e-3);

        Assert.Equal(epochsRun, history.Count);
        Assert.Equal(new[] { 0.5, 0.6, 0.7, 0.65, 0.64 }.Take(epochsRun), history.Select(r => r.Get("f1")));
        Assert.Equal(reason, learner.StopReason);
    }

    [Fact]
    public void Early_stopping_on_an_unknown_column_fails_before_training_naming_the_columns()
    {
        using var data = new SyntheticData(64);
        using var model = new TinyNet();
        var bad = new EarlyStopping("no_such_metric");
        using var learner = new Learner(model, data.Train(), data.Valid(), Options(null, bad));
        var e = Assert.Throws<ArgumentException>(() => learner.Fit(1, 1e-3));
        Assert.Contains("'no_such_metric'", e.Message);
        Assert.Contains("available: train_loss, valid_loss, accuracy", e.Message);
        Assert.Empty(learner.History); // failed before training anything
    }

    [Fact]
    public void Callback_hooks_run_in_order()
    {
        var log = new List<string>();
        var cb = new LoggingCallback(log);
        using var data = new SyntheticData(32);
        using var model = new TinyNet();
        using var learner = new Learner(model, data.Train(batchSize: 16), data.Valid(), Options(null, cb));
        learner.Fit(1, 1e-3);
        Assert.Equal(new[] { "fit", "epoch0", "loss0", "end0", "loss1", "end1", "epochend0", "fitend" }, log);
    }

    private sealed class LoggingCallback(List<string> log) : ILearnerCallback
    {
        public void OnFitStart(Learner learner) => log.Add("fit");
        public void OnEpochStart(Learner learner, int epoch) => log.Add($"epoch{epoch}");
        public void OnBatchLoss(Learner learner, BatchInfo batch) => log.Add($"loss{batch.Batch}");
        public void OnBatchEnd(Learner learner, BatchInfo batch) => log.Add($"end{batch.Batch}");
        public void OnEpochEnd(Learner learner, EpochRecord record) => log.Add($"epochend{record.Epoch}");
        public void OnFitEnd(Learner learner) => log.Add("fitend");
    }
}
