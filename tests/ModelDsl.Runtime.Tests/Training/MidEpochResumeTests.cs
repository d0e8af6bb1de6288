using ModelDsl.Augmentation;
using ModelDsl.Data;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static ModelDsl.Runtime.Tests.Training.TrainingTestUtil;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

/// <summary>
/// Step-level checkpoints: a run interrupted after a checkpoint written mid-epoch (or after an
/// epoch's last batch, before its validation) and resumed in a fresh learner equals the
/// uninterrupted run bit for bit — losses, history and final weights — with dropout, a shuffling
/// loader and random augmentation, both through the DataLoader's StartBatch and through replaying
/// a plain loader's epoch.
/// </summary>
[Collection("Training")]
public sealed class MidEpochResumeTests : IDisposable
{
    private readonly string _dir = TempDir();

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>Stops the fit right after a given step, as a crash would (the checkpoint callback runs first).</summary>
    private sealed class StopAfterStep(long step) : ILearnerCallback
    {
        public void OnBatchEnd(Learner learner, BatchInfo batch)
        {
            if (batch.Step + 1 == step) learner.Stop("simulated crash", immediately: true);
        }
    }

    private sealed record Run(List<double> Losses, History History, Dictionary<string, Tensor> Weights);

    /// <summary>Training data and loaders built the same way every time, as a restarted process would.</summary>
    private sealed class Setup : IDisposable
    {
        private readonly SyntheticData _data = new(96);
        private readonly TensorDataset? _dataset;

        public Setup(bool dataLoader, Device device)
        {
            if (!dataLoader)
            {
                Train = _data.Train(batchSize: 16);
                Valid = _data.Valid();
                return;
            }
            _dataset = new TensorDataset(_data.X.clone(), _data.Y.clone());
            var augmentation = new Compose(new RandomAffine(15, translate: (0.2, 0.2), scale: (0.9, 1.1), seed: 3), new GaussianNoise(0.05, seed: 4));
            Train = new DataLoader(_dataset, 16, shuffle: true, seed: 21, device: device, augmentation: augmentation);
            Valid = new DataLoader(_dataset, 64, device: device);
        }

        public IEnumerable<Batch> Train { get; }
        public IEnumerable<Batch> Valid { get; }

        public void Dispose()
        {
            _dataset?.Dispose();
            _data.Dispose();
        }
    }

    private static LearnerOptions OptionsOn(Device device, params ILearnerCallback[] callbacks)
    {
        var o = Options(OptimizerSpec.AdamW(), callbacks);
        return new LearnerOptions { Optimizer = o.Optimizer, Metrics = o.Metrics, Callbacks = o.Callbacks, Device = device, Output = OutputMode.Silent, Seed = 17 };
    }

    private static Run Train(bool dataLoader, Device device, params ILearnerCallback[] extra)
    {
        Seeding.Everything(11);
        using var setup = new Setup(dataLoader, device);
        using var model = new TinyNet();
        var rec = new Recorder();
        using var learner = new Learner(model, setup.Train, setup.Valid, OptionsOn(device, [rec, .. extra]));
        learner.FitOneCycle(3, 0.05);
        return new Run(rec.Losses, learner.History, Snapshot(model));
    }

    private static void AssertBitIdentical(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]), $"{what} {i}: {expected[i]:R} vs {actual[i]:R}");
    }

    [Theory]
    [InlineData(true, 4, 10, "cpu")]   // checkpoint at step 8: epoch 1, batch 2 of 6
    [InlineData(true, 6, 7, "cpu")]    // step 6: epoch 0's last batch done, its validation not yet
    [InlineData(false, 5, 12, "cpu")]  // a plain loader: the epoch is replayed to batch 4 of epoch 1
    [InlineData(true, 4, 10, "cuda")]
    public void Resuming_a_step_checkpoint_equals_the_uninterrupted_run(bool dataLoader, int every, int crashAfter, string deviceName)
    {
        if (deviceName == "cuda" && !cuda.is_available()) Assert.Skip("No CUDA device: the CUDA generator's per-step re-seeding is exercised only on a GPU.");
        var device = deviceName == "cuda" ? CUDA : CPU;
        var path = Path.Combine(_dir, "steps.ckpt");
        var straight = Train(dataLoader, device);
        var first = Train(dataLoader, device, new CheckpointEverySteps(path, every), new StopAfterStep(crashAfter));
        int saved = crashAfter / every * every;
        var ck = Checkpoint.Load(path);
        Assert.Equal(saved, ck.State.Step);
        Assert.Equal(saved % 6 == 0 ? 6 : saved % 6, ck.State.Position!.Batch);
        Assert.Equal(dataLoader, ck.State.TrainLoaderState is not null);

        // A new process in spirit: other RNG state, fresh weights, loaders and augmentations.
        Seeding.Everything(999);
        using var setup = new Setup(dataLoader, device);
        using var model = new TinyNet();
        var rec = new Recorder();
        using var learner = new Learner(model, setup.Train, setup.Valid, OptionsOn(device, rec));
        var history = learner.Resume(path);

        AssertBitIdentical(straight.Losses, first.Losses.Take(saved).Concat(rec.Losses).ToList(), "batch loss");
        Assert.Equal(3, history.Count);
        AssertBitIdentical(straight.History.Select(r => r.TrainLoss).ToList(), history.Select(r => r.TrainLoss).ToList(), "epoch train loss");
        AssertBitIdentical(straight.History.Select(r => r.ValidLoss).ToList(), history.Select(r => r.ValidLoss).ToList(), "epoch valid loss");
        AssertBitIdentical(straight.History.Select(r => r.LearningRate).ToList(), history.Select(r => r.LearningRate).ToList(), "epoch learning rate");
        foreach (var (name, w) in straight.Weights) Assert.True(Same(w, model.state_dict()[name].cpu()), name);
        foreach (var t in straight.Weights.Values.Concat(first.Weights.Values)) t.Dispose();
    }

    [Fact]
    public void Cuda_step_seeds_follow_the_step_counter()
    {
        // What makes GPU resumes exact without reading the CUDA generator: a pure function of (seed, step).
        var seeds = Enumerable.Range(0, 1000).Select(s => Learner.CudaStepSeed(17, s)).ToList();
        Assert.Equal(seeds.Count, seeds.Distinct().Count());
        Assert.Equal(seeds, Enumerable.Range(0, 1000).Select(s => Learner.CudaStepSeed(17, s)));
        Assert.NotEqual(Learner.CudaStepSeed(17, 5), Learner.CudaStepSeed(18, 5));
    }

    [Fact]
    public void Augmentation_random_state_round_trips_and_a_foreign_state_is_refused()
    {
        using var batch = rand(4, 1, 8, 8);
        var affine = new RandomAffine(20, translate: (0.1, 0.1), seed: 1);
        var pipeline = new Compose(affine, new Normalize([0.5], [0.2]), new RandomErasing(seed: 2));
        pipeline.Apply(batch).Dispose();
        var state = pipeline.SaveRandomState();
        using var expected = pipeline.Apply(batch);

        var fresh = new Compose(new RandomAffine(20, translate: (0.1, 0.1), seed: 1), new Normalize([0.5], [0.2]), new RandomErasing(seed: 2));
        fresh.LoadRandomState(state);
        using var actual = fresh.Apply(batch);
        Assert.True(Same(expected, actual));

        var other = new Compose(new RandomAffine(20, seed: 1));
        var e = Assert.Throws<InvalidDataException>(() => other.LoadRandomState(state));
        Assert.Contains("3 steps; this pipeline has 1", e.Message);
    }
}
