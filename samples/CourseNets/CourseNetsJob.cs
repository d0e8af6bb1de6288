using ModelDsl.Augmentation;
using ModelDsl.Data;
using ModelDsl.Metrics;
using ModelDsl.Reports;
using ModelDsl.Samples;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CourseNets;

/// <summary>The command line, parsed. <see cref="Limit"/>: training digits (the test split gets a quarter as many).</summary>
public sealed record CourseNetsSettings(string OutputDirectory, int Epochs = 4, int BatchSize = 32, double LearningRate = 1e-3, int Seed = 42, int Limit = 2000);

/// <summary>
/// How far the Features stage's weights moved in each epoch (largest absolute change of any of its
/// parameters), whether it was frozen, and the PNGs written.
/// </summary>
public sealed record CourseNetsResult(IReadOnlyList<bool> FeaturesFrozen, IReadOnlyList<double> FeaturesChange, IReadOnlyList<double> HeadChange,
    double TestAccuracy, string FiltersPng, string FeatureMapsPng);

/// <summary>
/// The course's classic nets as DSL declarations: LeNet5, AlexNet and the ResBlock "Monster" — their
/// summaries; then Monster trained with its Features stage frozen for the first half of the epochs,
/// and its first conv's filters and feature maps drawn into --out.
/// </summary>
public static class CourseNetsJob
{
    public const string FeaturesStage = "Features";

    /// <param name="extraCallbacks">More callbacks for Monster's learner (the tests watch its parameters with one).</param>
    public static CourseNetsResult Run(CourseNetsSettings settings, TextWriter console, params ILearnerCallback[] extraCallbacks)
    {
        // 1. The summaries: computed by the generator at compile time, no model is instantiated for them.
        foreach (var summary in new[] { LeNet5.Summary, AlexNet.Summary, Monster.Summary })
        {
            console.WriteLine(summary);
            console.WriteLine();
        }

        // 2. Data: Monster takes 3×32×32. The bundled MNIST digits, padded 28→32 (as LeNet-5's original
        //    input was) and repeated over 3 channels.
        using var mnistTrain = BundledData.LoadMnist(train: true);
        using var mnistTest = BundledData.LoadMnist(train: false);
        using var train = ToMonsterInput(mnistTrain, settings.Limit);
        using var test = ToMonsterInput(mnistTest, Math.Max(1, settings.Limit / 4));
        console.WriteLine($"data: bundled MNIST digits padded to 32×32 and repeated over 3 channels: {train.Count:N0} train, {test.Count:N0} test");

        torch.manual_seed(settings.Seed);
        var normalize = new Normalize([0.1, 0.1, 0.1], [0.28, 0.28, 0.28]);
        using var trainLoader = new DataLoader(train, settings.BatchSize, shuffle: true, seed: settings.Seed, device: CPU, augmentation: normalize);
        using var testLoader = new DataLoader(test, 256, device: CPU, augmentation: normalize);
        using var model = new Monster();
        using var accuracy = new Accuracy(10);
        var schedule = new FreezeFirstHalf(model, settings.Epochs, console);
        using var learner = new Learner(model, trainLoader, testLoader, new LearnerOptions
        {
            Loss = Loss.CrossEntropy(),
            Optimizer = OptimizerSpec.Adam(),
            Metrics = { accuracy },
            Callbacks = { schedule },
            Device = CPU,
            Seed = settings.Seed,
            Writer = console,
        });
        foreach (var callback in extraCallbacks) learner.AddCallback(callback);
        console.WriteLine($"Monster's stages: {string.Join(", ", learner.StageNames)}; {FeaturesStage} frozen for the first {schedule.FrozenEpochs} of {settings.Epochs} epoch(s)");
        var history = learner.Fit(settings.Epochs, settings.LearningRate);
        learner.ThrowIfFailed();
        double testAccuracy = history[^1].Metrics.First(m => m.Key == "accuracy").Value;

        // 3. What the first conv learned: its 64 filters (11×11, RGB) and its 64 feature maps for one digit.
        string outDir = Path.GetFullPath(settings.OutputDirectory);
        Directory.CreateDirectory(outDir);
        var (conv1Name, conv1Module) = model.named_modules().First(m => m.module is TorchSharp.Modules.Conv2d);
        var conv1 = (TorchSharp.Modules.Conv2d)conv1Module;
        string filters = Plots.ConvFilters(conv1.weight!.detach().cpu(), Path.Combine(outDir, "monster_conv1_filters.png"), layerName: conv1Name);
        string maps;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            model.eval();
            var (image, label) = test.Get(0);
            var activation = conv1.forward(normalize.Apply(image.unsqueeze(0)));
            maps = Plots.FeatureMaps(activation[0], Path.Combine(outDir, "monster_conv1_feature_maps.png"), layerName: conv1Name);
            console.WriteLine($"feature maps of test digit 0 (a {label}) through conv1: {string.Join("×", activation.shape.Skip(1))}");
        }
        console.WriteLine($"wrote {Path.GetFileName(filters)} and {Path.GetFileName(maps)} to {outDir}");
        return new CourseNetsResult(schedule.Frozen, schedule.FeaturesChange, schedule.HeadChange, testAccuracy, filters, maps);
    }

    /// <summary>The first <paramref name="limit"/> digits, zero-padded 28×28 → 32×32, the one channel repeated to three.</summary>
    public static TensorDataset ToMonsterInput(TensorDataset mnist, int limit)
    {
        Tensor images, labels;
        using (var scope = NewDisposeScope())
        {
            int n = Math.Min(limit, mnist.Count);
            images = nn.functional.pad(mnist.Images.slice(0, 0, n, 1), [2, 2, 2, 2]).expand(-1, 3, -1, -1).contiguous().MoveToOuterDisposeScope();
            labels = mnist.Labels.slice(0, 0, n, 1).clone().MoveToOuterDisposeScope();
        }
        // Made outside the scope: the dataset's constructor creates tensors of its own that must outlive it.
        return new TensorDataset(images, labels, mnist.ClassNames);
    }

    /// <summary>
    /// Freezes <see cref="FeaturesStage"/> for the first half of the epochs (at least one when there are
    /// two or more), unfreezes it after, and records how far each stage's weights moved in each epoch.
    /// </summary>
    private sealed class FreezeFirstHalf(Monster model, int epochs, TextWriter console) : ILearnerCallback
    {
        private Tensor[] _featuresBefore = [], _headBefore = [];

        public int FrozenEpochs { get; } = epochs / 2;
        public List<bool> Frozen { get; } = [];
        public List<double> FeaturesChange { get; } = [];
        public List<double> HeadChange { get; } = [];

        public void OnEpochStart(Learner learner, int epoch)
        {
            bool freeze = epoch < FrozenEpochs;
            if (freeze) learner.Freeze(FeaturesStage);
            else learner.Unfreeze(FeaturesStage);
            Frozen.Add(freeze);
            var frozen = learner.FrozenStages.Count == 0 ? "none" : string.Join(", ", learner.FrozenStages);
            console.WriteLine($"epoch {epoch}: frozen stages: {frozen}; training: {string.Join(", ", learner.StageNames.Except(learner.FrozenStages))}");
            _featuresBefore = Snapshot(model.Features);
            _headBefore = Snapshot(model.Head);
        }

        public void OnEpochEnd(Learner learner, EpochRecord record)
        {
            FeaturesChange.Add(MaxChange(_featuresBefore, model.Features));
            HeadChange.Add(MaxChange(_headBefore, model.Head));
            console.WriteLine($"epoch {record.Epoch}: largest weight change: Features {FeaturesChange[^1]:G3}, Head {HeadChange[^1]:G3}");
        }

        private static Tensor[] Snapshot(nn.Module stage) =>
            stage.parameters().Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();

        private static double MaxChange(Tensor[] before, nn.Module stage)
        {
            using var scope = NewDisposeScope();
            double max = 0;
            foreach (var (old, now) in before.Zip(stage.parameters()))
                max = Math.Max(max, (now.detach() - old).abs().max().item<float>());
            foreach (var t in before) t.Dispose();
            return max;
        }
    }
}
