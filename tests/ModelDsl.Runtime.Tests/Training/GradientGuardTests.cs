using ModelDsl.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static ModelDsl.Runtime.Tests.Training.TrainingTestUtil;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

/// <summary>
/// The NaN guard's gradient half: a step whose gradients hold NaN/∞ is skipped and counted, enough of them in a row
/// stop the fit naming the layer where they began, and every stop message tells the truth about the weights.
/// </summary>
[Collection("Training")]
public class GradientGuardTests
{
    /// <summary>
    /// First → Poison → Last. Poison is where(h &gt; 0, sqrt(h), 0): finite forward, but sqrt's gradient at the
    /// negative entries is NaN and where's zero does not cancel it (0 × NaN), so First's gradients are NaN while
    /// Last's stay finite — the shape of a backward that goes wrong inside the network. <paramref name="poisonedBatches"/>
    /// says which calls of forward (0-based, counting training calls) poison; the others run First → Last.
    /// </summary>
    private sealed class PoisonNet : nn.Module<Tensor, Tensor>
    {
        private readonly Linear First = nn.Linear(16, 8), Last = nn.Linear(8, 2);
        private readonly Func<int, bool> _poison;
        private int _calls;

        public PoisonNet(Func<int, bool> poisonedBatches) : base(nameof(PoisonNet))
        {
            _poison = poisonedBatches;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            var h = First.call(input.flatten(1));
            bool poison = training && _poison(_calls++);
            if (poison) h = where(h > 0, h.sqrt(), zeros_like(h));
            return Last.call(h);
        }
    }

    private static Learner LearnerFor(nn.Module<Tensor, Tensor> model, SyntheticData data, int maxSkips = 3) =>
        new(model, data.Train(), null, new LearnerOptions
        {
            Optimizer = OptimizerSpec.SGD(momentum: 0.9),
            Device = CPU,
            Output = OutputMode.Silent,
            MaxConsecutiveSkippedSteps = maxSkips,
        });

    [Fact]
    public void Consecutive_non_finite_gradients_skip_the_steps_then_stop_naming_the_layer_where_they_began()
    {
        using var data = new SyntheticData(samples: 256);
        manual_seed(1);
        using var model = new PoisonNet(_ => true);
        var before = Snapshot(model);
        using var learner = LearnerFor(model, data, maxSkips: 3);

        learner.Fit(2, 0.1);

        Assert.Equal(3, learner.SkippedSteps);
        Assert.NotNull(learner.Failure);
        Assert.Equal(learner.Failure, learner.StopReason);
        Assert.Contains("3 steps in a row had non-finite gradients", learner.Failure);
        Assert.Contains("began at layer 'First'", learner.Failure);
        Assert.Contains("First.bias: NaN", learner.Failure);
        Assert.Contains("the weights are finite", learner.Failure);
        Assert.Empty(learner.History); // it stopped inside the first epoch
        // No step was taken: every weight — Last's too, whose gradients were finite — is as it was.
        foreach (var (name, w) in model.state_dict()) Assert.True(Same(before[name], w), name);
        var stopped = Assert.Throws<TrainingStoppedException>(learner.ThrowIfFailed);
        Assert.Equal(learner.Failure, stopped.Reason);
    }

    [Fact]
    public void A_single_non_finite_step_is_skipped_and_training_goes_on()
    {
        using var data = new SyntheticData(samples: 256);
        manual_seed(2);
        using var model = new PoisonNet(call => call == 2);
        using var learner = LearnerFor(model, data);

        learner.Fit(2, 0.1);

        Assert.Equal(1, learner.SkippedSteps);
        Assert.Null(learner.Failure);
        Assert.Equal(2, learner.History.Count);
        Assert.All(model.parameters(), p => Assert.True(p.isfinite().all().item<bool>()));
        learner.ThrowIfFailed(); // nothing to throw
    }

    [Fact]
    public void The_loss_guard_says_the_weights_are_finite_when_they_are_and_not_when_they_are_not()
    {
        using var data = new SyntheticData(samples: 64);
        manual_seed(3);
        using var model = new TinyNet();
        using var learner = new Learner(model, data.Train(), null, Options());
        Assert.Contains("the weights are finite", learner.DescribeWeights());
        using (no_grad()) model.parameters().Last().fill_(double.NaN);
        learner.Fit(1, 0.01);
        Assert.NotNull(learner.Failure);
        Assert.Contains("the loss became NaN at epoch 0, batch 0", learner.Failure);
        Assert.Contains("the weights are NOT finite", learner.Failure);
        Assert.Contains("Head.Linear1.bias", learner.Failure);
    }

    [Fact]
    public void Early_stopping_is_a_stop_but_not_a_failure()
    {
        using var data = new SyntheticData(samples: 64);
        manual_seed(4);
        using var model = new TinyNet();
        using var learner = new Learner(model, data.Train(), data.Valid(), Options(callbacks: new Recorder(stopAfterEpoch: 0)));
        learner.Fit(3, 0.01);
        Assert.Equal("test stop", learner.StopReason);
        Assert.Null(learner.Failure);
    }

    [Fact]
    public void A_stopped_fit_leaves_metrics_json_with_a_stopped_field_and_the_finished_epochs()
    {
        var history = new History();
        history.Add(new EpochRecord(0, 0.5, 0.4, [new("accuracy", 0.75)], 1.0, 0.01));
        var stopped = new TrainingStoppedException("Training stopped: the loss became NaN at epoch 1, batch 3.", history);
        string dir = TempDir();
        var errors = new StringWriter();

        int code = stopped.Report(dir, errors);

        Assert.Equal(1, code);
        var lines = errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("stopped: Training stopped: the loss became NaN", lines[0]);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")));
        Assert.Equal(stopped.Reason, json.RootElement.GetProperty("stopped").GetString());
        var epoch = Assert.Single(json.RootElement.GetProperty("epochs").EnumerateArray());
        Assert.Equal(0.75, epoch.GetProperty("metrics").GetProperty("accuracy").GetDouble());
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }
}
