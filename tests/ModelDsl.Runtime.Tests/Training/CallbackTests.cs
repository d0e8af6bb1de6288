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

    [Fact]
    public void Early_stopping_on_a_metric_maximises_it()
    {
        Seeding.Everything(23);
        using var data = new SyntheticData(128);
        using var model = new TinyNet();
        var es = new EarlyStopping("accuracy", patience: 50);
        using var learner = new Learner(model, data.Train(), data.Valid(), Options(OptimizerSpec.Adam(), es));
        learner.Fit(3, 1e-2);
        Assert.Null(learner.StopReason);
        var bad = new EarlyStopping("no_such_metric");
        using var learner2 = new Learner(model, data.Train(), data.Valid(), Options(null, bad));
        var e = Assert.Throws<ArgumentException>(() => learner2.Fit(1, 1e-3));
        Assert.Contains("'no_such_metric'", e.Message);
        Assert.Contains("available: train_loss, valid_loss, accuracy", e.Message);
        Assert.Empty(learner2.History); // failed before training anything
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
