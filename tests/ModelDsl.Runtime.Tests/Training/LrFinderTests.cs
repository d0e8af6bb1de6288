using ModelDsl.Augmentation;
using ModelDsl.Data;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static ModelDsl.Runtime.Tests.Training.TrainingTestUtil;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

[Collection("Training")]
public class LrFinderTests
{
    [Fact]
    public void LrFind_returns_a_curve_and_suggestion_and_restores_the_model()
    {
        Seeding.Everything(31);
        using var data = new SyntheticData(256);
        using var model = new TinyNet();
        using var learner = new Learner(model, data.Train(batchSize: 16), data.Valid(), Options(OptimizerSpec.SGD()));
        var before = Snapshot(model);
        var rngBefore = get_rng_state();

        var r = learner.LrFind(1e-5, 10, iterations: 60);

        Assert.True(r.LearningRates.Count >= 3 && r.LearningRates.Count <= 60);
        Assert.Equal(r.LearningRates.Count, r.Losses.Count);
        Assert.Equal(1e-5, r.LearningRates[0], 12);
        for (int i = 1; i < r.LearningRates.Count; i++) Assert.True(r.LearningRates[i] > r.LearningRates[i - 1]);
        foreach (var s in new[] { r.Suggestion, r.Steepest, r.MinimumOver10 })
            Assert.InRange(s, 1e-6, 10);
        Assert.True(r.Losses.Min() < r.Losses[0]);

        foreach (var (k, v) in before) Assert.True(Same(v, model.state_dict()[k]), $"{k} not restored");
        using (var rngAfter = get_rng_state()) Assert.True(Same(rngBefore, rngAfter));
        rngBefore.Dispose();
        foreach (var t in before.Values) t.Dispose();
        Assert.Empty(learner.History);
    }

    [Fact]
    public void LrFind_does_not_change_what_Fit_does()
    {
        List<double> Train(bool find)
        {
            Seeding.Everything(32);
            using var data = new SyntheticData(64);
            using var model = new TinyNet();
            var rec = new Recorder();
            using var learner = new Learner(model, data.Train(batchSize: 16), null, Options(OptimizerSpec.Adam(), rec));
            if (find) learner.LrFind(iterations: 20);
            learner.Fit(1, 1e-3);
            return rec.Losses;
        }
        Assert.Equal(Train(false), Train(true));
    }

    [Fact]
    public void LrFind_puts_the_loaders_augmentation_generators_back()
    {
        Seeding.Everything(33);
        using var data = new SyntheticData(64);
        using var dataset = new TensorDataset(data.X.clone(), data.Y.clone());
        using var loader = new DataLoader(dataset, 16, shuffle: true, seed: 2, augmentation: new Compose(new RandomAffine(10, seed: 1), new GaussianNoise(0.1, seed: 2)));
        using var model = new TinyNet();
        using var learner = new Learner(model, loader, null, Options(OptimizerSpec.Adam()));
        var before = loader.SaveRandomState();
        learner.LrFind(iterations: 10);
        Assert.Equal(before, loader.SaveRandomState());
    }

    [Fact]
    public void Valley_picks_two_thirds_down_the_longest_descent()
    {
        var lrs = Enumerable.Range(0, 10).Select(i => Math.Pow(10, i - 7)).ToList();
        var losses = new double[] { 2.0, 2.0, 1.9, 1.5, 1.0, 0.5, 0.4, 0.3, 0.5, 3.0 };
        // Longest decreasing run: indices 1..7 (lds 7, start 0); sections 7/3; idx = 0 + 2 + 1.
        Assert.Equal(lrs[3], Learner.Valley(lrs, losses));
        Assert.Equal(lrs[4], Learner.Steepest(lrs, losses));
    }
}
