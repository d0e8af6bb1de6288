using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static ModelDsl.Runtime.Tests.Training.TrainingTestUtil;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

/// <summary>
/// The training techniques that are one callback each on the open step: gradient accumulation, MixUp and CutMix,
/// an exponential moving average of the weights, progressive resizing.
/// </summary>
[Collection("Training")]
public class TechniqueTests
{
    /// <summary>A linear classifier over 4×4 images, without randomness in its forward (accumulation must match exactly).</summary>
    private sealed class LinearNet : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Linear _fc;
        public LinearNet(long seed) : base(nameof(LinearNet))
        {
            random.manual_seed(seed);
            _fc = nn.Linear(16, 2);
            RegisterComponents();
        }
        public override Tensor forward(Tensor x) => _fc.forward(x.flatten(1));
    }

    private static LearnerOptions Plain(params ILearnerCallback[] callbacks) => Plain(0, callbacks);

    private static LearnerOptions Plain(double l1, params ILearnerCallback[] callbacks) => new()
    {
        Optimizer = OptimizerSpec.SGD(momentum: 0, weightDecay: 0), Callbacks = callbacks.ToList(), Device = CPU, Output = OutputMode.Silent, L1 = l1,
    };

    private static float[] Weights(nn.Module model) => model.parameters().SelectMany(p => p.detach().cpu().data<float>().ToArray()).ToArray();

    [Fact]
    public void Accumulating_two_batches_of_16_steps_as_one_batch_of_32_the_short_last_group_too()
    {
        using var data = new SyntheticData(80); // 5 batches of 16: groups (0,1) (2,3) (4) — as batches of 32, 32, 16
        using var big = new LinearNet(3);
        using var small = new LinearNet(3);
        // With L1 too: the penalty joins each micro-batch's loss and is divided with it, so a group pays it once, as the big batch.
        using (var learner = new Learner(big, new TensorLoader(data.X, data.Y, 32, shuffle: false), null, Plain(l1: 0.01)))
            learner.Fit(2, 0.1);
        var steps = new StepCounter();
        using (var learner = new Learner(small, new TensorLoader(data.X, data.Y, 16, shuffle: false), null, Plain(0.01, new GradientAccumulation(2), steps)))
            learner.Fit(2, 0.1);
        Assert.Equal(6, steps.Stepped);
        var expected = Weights(big);
        var actual = Weights(small);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-6, $"weight {i}: {expected[i]} vs {actual[i]}");
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradientAccumulation(0));
    }

    /// <summary>Cancels batch 2 (the first of the second group) and looks at the gradients batch 3 starts from.</summary>
    private sealed class CancelFirstOfGroup : ILearnerCallback
    {
        public double GradientBeforeBatch3 { get; private set; } = double.NaN;
        public void AfterLoss(StepContext s) { if (s.Batch == 2) s.CancelBatch(); }
        public void BeforeBackward(StepContext s)
        {
            if (s.Batch == 3) GradientBeforeBatch3 = s.Learner.Module.parameters().Sum(p => p.grad is { } g ? g.abs().sum().item<float>() : 0);
        }
    }

    [Fact]
    public void A_cancelled_first_batch_of_a_group_still_clears_the_last_groups_gradients()
    {
        using var data = new SyntheticData(64);
        using var model = new LinearNet(2);
        var probe = new CancelFirstOfGroup();
        using var learner = new Learner(model, new TensorLoader(data.X, data.Y, 16, shuffle: false), null, Plain(new GradientAccumulation(2), probe));
        learner.Fit(1, 0.1);
        Assert.Equal(0, probe.GradientBeforeBatch3);
    }

    /// <summary>Counts optimizer steps; records what the model was given in the first batch of each epoch.</summary>
    private sealed class StepCounter : ILearnerCallback
    {
        public int Stepped { get; private set; }
        public List<(int Epoch, long[] Shape)> Inputs { get; } = new();
        public Tensor? Targets { get; private set; }
        public Tensor? MixedInputs { get; private set; }
        public void AfterPrediction(StepContext s)
        {
            if (s.Batch != 0) return;
            Inputs.Add((s.Epoch, s.Inputs.shape));
            if (s.Epoch == 0)
            {
                Targets?.Dispose();
                MixedInputs?.Dispose();
                Targets = s.Targets.detach().clone().DetachFromDisposeScope();
                MixedInputs = s.Inputs.detach().clone().DetachFromDisposeScope();
            }
        }
        public void AfterStep(StepContext s) { if (s.StepOptimizer) Stepped++; }
    }

    [Fact]
    public void MixUp_and_CutMix_train_on_mixed_images_with_probability_targets_drawn_as_a_function_of_the_step()
    {
        using var data = new SyntheticData(64);
        foreach (var make in new Func<ILearnerCallback>[] { () => new MixUp(alpha: 0.4, seed: 5), () => new CutMix(alpha: 1.0, seed: 5) })
        {
            var seen = new List<StepCounter>();
            for (int run = 0; run < 2; run++)
            {
                Seeding.Everything(3);
                using var model = new TinyNet();
                var probe = new StepCounter();
                using var learner = new Learner(model, new TensorLoader(data.X, data.Y, 32, shuffle: false), data.Valid(), Options(OptimizerSpec.SGD(), make(), probe));
                learner.Fit(1, 0.05);
                Assert.True(double.IsFinite(learner.History[0].TrainLoss));
                var y = probe.Targets!;
                Assert.Equal(new long[] { 32, 2 }, y.shape);                         // class probabilities, one row per image
                Assert.True(y.sum(1).sub(1).abs().max().item<float>() < 1e-5f);      // each sums to 1
                Assert.True(y.gt(0).logical_and(y.lt(1)).any().item<bool>(), "the targets are not mixed");
                Assert.True(probe.MixedInputs!.sub(data.X.narrow(0, 0, 32)).abs().max().item<float>() > 0, $"{make().GetType().Name} left the images as they were");
                seen.Add(probe);
            }
            // Two runs from the same seed mix the same way: the draws are a function of (seed, step).
            Assert.True(seen[0].MixedInputs!.eq(seen[1].MixedInputs!).all().item<bool>());
            Assert.True(seen[0].Targets!.eq(seen[1].Targets!).all().item<bool>());
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new MixUp(alpha: 0));
    }

    [Fact]
    public void The_moving_average_is_the_formulas_validation_uses_it_and_the_trained_weights_stay()
    {
        using var data = new SyntheticData(48);
        using var model = new LinearNet(4);
        const double decay = 0.8;
        var history = new List<float[]> { Weights(model) };
        var watcher = new WeightWatcher(history);
        using var ema = new ExponentialMovingAverage(decay);
        using var learner = new Learner(model, new TensorLoader(data.X, data.Y, 16, shuffle: false), null, Plain(watcher, ema));
        learner.Fit(2, 0.2);
        Assert.Equal(6, ema.Updates);
        // average_0 = w_0; average_k = d·average_{k−1} + (1 − d)·w_k.
        var expected = history[0].ToArray();
        foreach (var w in history.Skip(1))
            for (int i = 0; i < expected.Length; i++) expected[i] = (float)(decay * expected[i] + (1 - decay) * w[i]);
        using var copy = new LinearNet(9);
        ema.CopyTo(copy);
        var averaged = Weights(copy);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - averaged[i]) < 1e-5, $"weight {i}: {expected[i]} vs {averaged[i]}");
        Assert.Equal(history[^1], Weights(model)); // after training (and validating) the model holds its trained weights

        // Validation during a fit uses the average: its loss is the averaged model's.
        var valid = new TensorLoader(data.X, data.Y, 48, shuffle: false);
        learner.Valid = valid;
        learner.Fit(1, 0.2);
        double recorded = learner.History[^1].ValidLoss;
        Assert.Equal(history[^1], Weights(model));
        ema.CopyTo(copy);
        using var copyLearner = new Learner(copy, valid, valid, Plain());
        Assert.Equal(copyLearner.Validate().Loss, recorded, 6);
        // … not the trained weights' (Learner.Validate swaps the average in too, so they are measured through a plain copy).
        using var live = new LinearNet(9);
        using (no_grad())
            foreach (var (target, source) in live.parameters().Zip(model.parameters())) target.copy_(source);
        using var liveLearner = new Learner(live, valid, valid, Plain());
        Assert.NotEqual(liveLearner.Validate().Loss, recorded, 6);
        Assert.Equal(recorded, learner.Validate().Loss, 6);
    }

    [Fact]
    public void In_bfloat16_the_average_still_moves()
    {
        using var data = new SyntheticData(64);
        using var model = new TinyNet();
        using var ema = new ExponentialMovingAverage(0.99);
        using var learner = new Learner(model, new TensorLoader(data.X, data.Y, 16, shuffle: false), null,
            new LearnerOptions { Optimizer = OptimizerSpec.AdamW(), Callbacks = { ema }, Device = CPU, Output = OutputMode.Silent, MixedPrecision = MixedPrecision.BFloat16 });
        using var start = new TinyNet();
        using (no_grad()) foreach (var (a, b) in start.parameters().Zip(model.parameters())) a.copy_(b.to_type(ScalarType.Float32));
        learner.Fit(3, 1e-2);
        using var averaged = new TinyNet();
        ema.CopyTo(averaged);
        // A bfloat16 average would round every 1 % step away and stay at the starting weights; a float32 one moves.
        double moved = averaged.parameters().Zip(start.parameters()).Sum(p => p.First.sub(p.Second).abs().sum().item<float>());
        Assert.True(moved > 1e-3, $"the average moved {moved}");
    }

    private sealed class WeightWatcher(List<float[]> history) : ILearnerCallback
    {
        public void AfterStep(StepContext s) => history.Add(Weights(s.Learner.Module));
    }

    /// <summary>Any input size: conv, global pool, linear.</summary>
    private sealed class AnySizeNet : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Conv2d _conv = nn.Conv2d(1, 4, 3, padding: 1);
        private readonly TorchSharp.Modules.Linear _fc = nn.Linear(4, 2);
        public AnySizeNet() : base(nameof(AnySizeNet)) => RegisterComponents();
        public override Tensor forward(Tensor x) => _fc.forward(nn.functional.adaptive_avg_pool2d(nn.functional.relu(_conv.forward(x)), 1).flatten(1));
    }

    [Fact]
    public void Progressive_resizing_trains_each_epoch_at_its_size()
    {
        using var data = new SyntheticData(32);
        using var model = new AnySizeNet();
        var probe = new StepCounter();
        var resize = new ProgressiveResizing(new Dictionary<int, (int, int)> { [0] = (2, 2), [2] = (8, 8) });
        using var learner = new Learner(model, new TensorLoader(data.X, data.Y, 16, shuffle: false), null, Plain(resize, probe));
        learner.Fit(3, 0.05);
        Assert.Equal(new[] { "0: 2×2", "1: 2×2", "2: 8×8" }, probe.Inputs.Select(i => $"{i.Epoch}: {i.Shape[2]}×{i.Shape[3]}"));
        Assert.Null(resize.SizeAt(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProgressiveResizing(new Dictionary<int, (int, int)> { [0] = (0, 4) }));
    }
}
