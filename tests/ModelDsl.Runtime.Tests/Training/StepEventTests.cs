using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static ModelDsl.Runtime.Tests.Training.TrainingTestUtil;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

/// <summary>The Learner's open step: its events in fastai's order, a context callbacks may change, and cancelling a batch, an epoch or the fit.</summary>
[Collection("Training")]
public class StepEventTests
{
    /// <summary>Logs every event of the first batch (and what the context holds then) and the epoch-level ones.</summary>
    private sealed class EventLog : ILearnerCallback
    {
        public List<string> Events { get; } = new();
        private bool First(StepContext s) => s.Epoch == 0 && s.Batch == 0;
        public void OnFitStart(Learner learner) => Events.Add("fit-start");
        public void BeforeBatch(StepContext s) { if (First(s)) Events.Add($"before-batch inputs {Shape.Format(s.Inputs.shape)} prediction {s.Prediction is null}"); }
        public void AfterPrediction(StepContext s) { if (First(s)) Events.Add($"after-prediction {Shape.Format(s.Prediction!.shape)} loss {s.Loss is null}"); }
        public void OnBatchLoss(Learner learner, BatchInfo b) { if (b.Epoch == 0 && b.Batch == 0) Events.Add("batch-loss"); }
        public void AfterLoss(StepContext s) { if (First(s)) Events.Add($"after-loss finite {double.IsFinite(s.LossValue)}"); }
        public void BeforeBackward(StepContext s) { if (First(s)) Events.Add($"before-backward grad {s.Learner.Module.parameters().First().grad is { } g && g.abs().sum().item<float>() > 0}"); }
        public void BeforeStep(StepContext s) { if (First(s)) Events.Add($"before-step grad {s.Learner.Module.parameters().First().grad is { } g && g.abs().sum().item<float>() > 0}"); }
        public void AfterStep(StepContext s) { if (First(s)) Events.Add("after-step"); }
        public void OnBatchEnd(Learner learner, BatchInfo b) { if (b.Epoch == 0 && b.Batch == 0) Events.Add("batch-end"); }
        public void AfterBatch(StepContext s) { if (First(s)) Events.Add($"after-batch step {s.Step}"); }
        public void BeforeValidate(Learner learner) => Events.Add("before-validate");
        public void AfterValidate(Learner learner) => Events.Add("after-validate");
        public void OnEpochEnd(Learner learner, EpochRecord record) => Events.Add($"epoch-end {record.Epoch}");
        public void OnFitEnd(Learner learner) => Events.Add("fit-end");
    }

    [Fact]
    public void A_batch_runs_fastais_events_in_order_and_each_sees_what_came_before()
    {
        using var data = new SyntheticData(64);
        using var model = new TinyNet();
        var log = new EventLog();
        using var learner = new Learner(model, data.Train(batchSize: 32), data.Valid(), Options(OptimizerSpec.SGD(), log));
        learner.Fit(2, 0.05);
        Assert.Equal(new[]
        {
            "fit-start", "before-batch inputs 32×1×4×4 prediction True", "after-prediction 32×2 loss True", "batch-loss", "after-loss finite True",
            "before-backward grad False", "before-step grad True", "after-step", "batch-end", "after-batch step 0",
            "before-validate", "after-validate", "epoch-end 0", "before-validate", "after-validate", "epoch-end 1", "fit-end",
        }, log.Events);
    }

    /// <summary>Scales the loss backward runs on (after the table's value is read), or cancels as told.</summary>
    private sealed class Meddler(double lossFactor = 1, Func<StepContext, bool>? cancelBatch = null, int? cancelEpochAt = null, int? cancelFitAt = null) : ILearnerCallback
    {
        public int Steps { get; private set; }
        public void AfterLoss(StepContext s)
        {
            if (lossFactor != 1) s.Loss = s.Loss! * lossFactor;
            if (cancelBatch?.Invoke(s) == true) s.CancelBatch();
            if (s.Batch == cancelEpochAt) s.CancelEpoch();
            if (s.Step == cancelFitAt) s.CancelFit("the test stopped it");
        }
        public void AfterStep(StepContext s) { if (s.StepOptimizer) Steps++; }
    }

    private static float[] Weights(nn.Module model) => model.parameters().SelectMany(p => p.detach().cpu().data<float>().ToArray()).ToArray();

    [Fact]
    public void A_callback_that_zeroes_the_loss_or_cancels_every_batch_leaves_the_weights_as_they_were()
    {
        using var data = new SyntheticData(64);
        foreach (var meddler in new[] { new Meddler(lossFactor: 0), new Meddler(cancelBatch: _ => true) })
        {
            using var model = new TinyNet();
            var before = Weights(model);
            using var learner = new Learner(model, data.Train(batchSize: 16), null, Options(OptimizerSpec.SGD(momentum: 0, weightDecay: 0), meddler));
            learner.Fit(1, 0.5);
            Assert.Equal(before, Weights(model));
            Assert.True(double.IsFinite(learner.History[0].TrainLoss)); // the table still shows the data loss
        }
        // Cancelling only the even batches: the odd ones step.
        using (var model = new TinyNet())
        {
            var odd = new Meddler(cancelBatch: s => s.Batch % 2 == 0);
            using var learner = new Learner(model, data.Train(batchSize: 16), null, Options(OptimizerSpec.SGD(), odd));
            learner.Fit(1, 0.05);
            Assert.Equal(2, odd.Steps);
        }
    }

    [Fact]
    public void Cancelling_the_epoch_or_the_fit_ends_them_there()
    {
        using var data = new SyntheticData(96);
        using (var model = new TinyNet())
        {
            var rec = new Recorder();
            using var learner = new Learner(model, data.Train(batchSize: 16), data.Valid(), Options(OptimizerSpec.SGD(), new Meddler(cancelEpochAt: 1), rec));
            learner.Fit(2, 0.05);
            Assert.Equal(2, learner.History.Count); // both epochs ran, validated and recorded
            Assert.Equal(4, rec.Losses.Count);      // two batches each: the cancelling batch finished, then the epoch ended
        }
        using (var model = new TinyNet())
        {
            var rec = new Recorder();
            using var learner = new Learner(model, data.Train(batchSize: 16), data.Valid(), Options(OptimizerSpec.SGD(), new Meddler(cancelFitAt: 8), rec));
            learner.Fit(3, 0.05);
            Assert.Equal("the test stopped it", learner.StopReason);
            Assert.Null(learner.Failure);
            Assert.Equal(8, rec.Losses.Count); // step 8 (epoch 1, batch 2) was not done
            Assert.Single(learner.History);
        }
    }

    [Fact]
    public void A_fit_stopped_in_a_batch_leaves_nothing_behind_for_the_LR_finder_or_the_next_fit()
    {
        using var data = new SyntheticData(96);
        using var model = new TinyNet();
        var rec = new Recorder();
        using var learner = new Learner(model, data.Train(batchSize: 16), data.Valid(), Options(OptimizerSpec.SGD(), new Meddler(cancelFitAt: 3, cancelEpochAt: 1), rec));
        learner.Fit(2, 0.05);
        Assert.Equal(3, rec.Losses.Count);
        var found = learner.LrFind(iterations: 12);      // the stop belonged to that fit: the probe runs its 12 steps
        Assert.Equal(12, found.LearningRates.Count);
    }

    /// <summary>Writes a line at every epoch end, saying how many records History holds then.</summary>
    private sealed class EpochWitness(TextWriter output) : ILearnerCallback
    {
        public void OnEpochEnd(Learner learner, EpochRecord record) => output.WriteLine($"witness: epoch {record.Epoch}, {learner.History.Count} in history");
    }

    [Fact]
    public void The_recorder_and_the_table_row_come_before_the_callbacks_epoch_end_and_only_during_a_fit()
    {
        using var data = new SyntheticData(64);
        using var model = new TinyNet();
        var output = new StringWriter();
        using var learner = new Learner(model, data.Train(batchSize: 32), data.Valid(), new LearnerOptions
        {
            Optimizer = OptimizerSpec.SGD(), Device = CPU, Output = OutputMode.Plain, Writer = output, Callbacks = { new EpochWitness(output) },
        });
        learner.Fit(2, 0.05);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToList();
        Assert.StartsWith("epoch", lines[0]);                                   // the header, once
        Assert.Matches(@"^0\s+[0-9.]+\s+[0-9.]+", lines[1]);                     // epoch 0's row, then the witness
        Assert.Equal("witness: epoch 0, 1 in history", lines[2]);
        Assert.Matches(@"^1\s+[0-9.]+\s+[0-9.]+", lines[3]);
        Assert.Equal("witness: epoch 1, 2 in history", lines[4]);
        int printed = lines.Count;
        learner.Validate();                                                      // outside a fit: no progress, no record
        Assert.Equal(printed, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(2, learner.History.Count);
    }

    [Fact]
    public void The_LR_finder_does_not_run_the_options_callbacks()
    {
        using var data = new SyntheticData(96);
        using var model = new TinyNet();
        var log = new EventLog();
        using var learner = new Learner(model, data.Train(batchSize: 16), data.Valid(), Options(OptimizerSpec.SGD(), log));
        learner.LrFind(iterations: 12);
        Assert.Empty(log.Events);
    }
}
