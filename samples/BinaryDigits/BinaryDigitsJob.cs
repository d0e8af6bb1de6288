using ModelDsl.Data;
using ModelDsl.Metrics;
using ModelDsl.Samples;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace BinaryDigits;

/// <summary>The command line, parsed. <see cref="Limit"/> caps the samples per split (null = all).</summary>
public sealed record BinaryDigitsSettings(int Epochs = 3, int BatchSize = 32, double LearningRate = 2e-3, int Seed = 42, int? Limit = null);

/// <summary>What the run measured, for the tests.</summary>
public sealed record BinaryDigitsResult(double ThreeClassAccuracy, double OneLogitAccuracy, double TwoLogitAccuracy,
    string MisuseMessage, double ShareOfClassZero);

/// <summary>
/// The course's 3-class MNIST net on digits 0, 1, 2 of the bundled MNIST subset; then the binary
/// case (3 vs 8) done both ways, and what goes wrong when a one-logit output meets an argmax metric.
/// </summary>
public static class BinaryDigitsJob
{
    public static int Run(BinaryDigitsSettings settings, TextWriter console, TextWriter errors)
        => ConsoleJob.Run(() => Train(settings, console), errors);

    public static BinaryDigitsResult Train(BinaryDigitsSettings settings, TextWriter console)
    {
        using var mnistTrain = BundledData.LoadMnist(train: true);
        using var mnistTest = BundledData.LoadMnist(train: false);
        console.WriteLine($"data: bundled MNIST subset ({BundledData.MnistDirectory}): {mnistTrain.Count:N0} train, {mnistTest.Count:N0} test digits");

        // 1. Three classes: digits 0, 1, 2 and the course's MnistNet (Linear(3) head, cross-entropy).
        console.WriteLine();
        console.WriteLine("== 3 classes: digits 0, 1, 2 — MnistNet, cross-entropy, Accuracy(3) ==");
        using var train3 = Subset(mnistTrain, [0, 1, 2], settings.Limit);
        using var test3 = Subset(mnistTest, [0, 1, 2], settings.Limit);
        console.WriteLine($"{train3.Count:N0} train, {test3.Count:N0} test");
        console.WriteLine(MnistNet.Summary);
        double threeClass;
        torch.manual_seed(settings.Seed); // before each model: its initial weights come from this generator
        using (var model = new MnistNet())
        using (var accuracy = new Accuracy(3))
        {
            threeClass = Fit(model, train3, test3, Loss.CrossEntropy(), accuracy, settings, console);
            using var learner = NewLearner(model, train3, test3, Loss.CrossEntropy(), null, settings, TextWriter.Null);
            using var loader = new DataLoader(test3, 256);
            var (logits, targets) = learner.GetPredictions(loader);
            using (logits)
            using (targets)
            using (var report = new ClassificationReport(test3.ClassNames))
            {
                report.Update(logits, targets);
                console.WriteLine();
                console.WriteLine(report.Compute().ToString());
            }
        }

        // 2. Binary, 3 vs 8 (label 0 = "3", label 1 = "8"), two correct ways.
        using var train2 = Subset(mnistTrain, [3, 8], settings.Limit);
        using var test2 = Subset(mnistTest, [3, 8], settings.Limit);
        console.WriteLine();
        console.WriteLine($"== binary: 3 vs 8 ({train2.Count:N0} train, {test2.Count:N0} test; target 1 = \"8\") ==");
        console.WriteLine();
        console.WriteLine("(a) one logit: OneLogitNet (Linear(1)), Loss.BCEWithLogits(), Accuracy(task: ClassificationTask.Binary)");
        torch.manual_seed(settings.Seed);
        using var oneLogit = new OneLogitNet();
        double oneAccuracy;
        using (var binary = new Accuracy(task: ClassificationTask.Binary))
            oneAccuracy = Fit(oneLogit, train2, test2, Loss.BCEWithLogits(), binary, settings, console);

        console.WriteLine();
        console.WriteLine("(b) two logits: TwoLogitNet (Linear(2)), Loss.CrossEntropy(), Accuracy(2)");
        double twoAccuracy;
        torch.manual_seed(settings.Seed);
        using (var model = new TwoLogitNet())
        using (var accuracy = new Accuracy(2))
            twoAccuracy = Fit(model, train2, test2, Loss.CrossEntropy(), accuracy, settings, console);

        // 3. The misuse: an argmax (multiclass) accuracy on the one-logit output. The argmax of a single
        //    column is always 0, so such a metric would report the share of class 0 whatever the model
        //    learned — an accuracy stuck at one number (the course's 0.4634). ModelDsl refuses instead.
        console.WriteLine();
        console.WriteLine("== metric misuse: Accuracy() (multiclass, argmax) on OneLogitNet's single-column output ==");
        string message;
        double shareOfZero;
        using (var learner = NewLearner(oneLogit, train2, test2, Loss.BCEWithLogits(), null, settings, TextWriter.Null))
        using (var loader = new DataLoader(test2, 256))
        {
            var (logits, targets) = learner.GetPredictions(loader);
            using (logits)
            using (targets)
            using (var wrong = new Accuracy())
            {
                shareOfZero = targets.eq(0L).to_type(ScalarType.Float64).mean().item<double>();
                try
                {
                    wrong.Update(logits, targets);
                    message = "(no exception)";
                }
                catch (ArgumentException e)
                {
                    message = e.Message;
                }
            }
        }
        console.WriteLine($"ArgumentException: {message}");
        console.WriteLine($"(argmax over one column would have reported {shareOfZero:F4}, the share of \"3\"s in the test set, every epoch.)");

        console.WriteLine();
        console.WriteLine($"summary: 3-class accuracy {threeClass:F4}; 3 vs 8: one logit + BCE {oneAccuracy:F4}, two logits + CE {twoAccuracy:F4}");
        return new BinaryDigitsResult(threeClass, oneAccuracy, twoAccuracy, message, shareOfZero);
    }

    private static double Fit(nn.Module<Tensor, Tensor> model, TensorDataset train, TensorDataset test, Loss loss, IMetric metric,
        BinaryDigitsSettings settings, TextWriter console)
    {
        torch.manual_seed(settings.Seed);
        using var learner = NewLearner(model, train, test, loss, metric, settings, console);
        var history = learner.Fit(settings.Epochs, settings.LearningRate);
        learner.ThrowIfFailed();
        return history[^1].Metrics.First(m => m.Key == "accuracy").Value;
    }

    private static Learner NewLearner(nn.Module<Tensor, Tensor> model, TensorDataset train, TensorDataset test, Loss loss, IMetric? metric,
        BinaryDigitsSettings settings, TextWriter console)
    {
        var options = new LearnerOptions
        {
            Loss = loss,
            Optimizer = OptimizerSpec.Adam(),
            Device = CPU,
            Seed = settings.Seed,
            Writer = console,
        };
        if (metric is not null) options.Metrics.Add(metric);
        return new Learner(model, new DataLoader(train, settings.BatchSize, shuffle: true, seed: settings.Seed), new DataLoader(test, 256), options);
    }

    /// <summary>The samples whose digit is in <paramref name="digits"/>, relabelled 0…k-1 in that order, at most <paramref name="limit"/>.</summary>
    public static TensorDataset Subset(TensorDataset source, long[] digits, int? limit)
    {
        // The dataset is made outside the scope: its constructor's own tensors must outlive it.
        var (images, labels) = Select(source, digits, limit);
        var names = digits.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new TensorDataset(images, labels, names);
    }

    private static (Tensor Images, Tensor Labels) Select(TensorDataset source, long[] digits, int? limit)
    {
        using var scope = NewDisposeScope();
        var labels = source.Labels;
        var keep = zeros_like(labels, ScalarType.Bool);
        foreach (var d in digits) keep = keep.logical_or(labels.eq(d));
        var index = keep.nonzero().reshape(-1);
        if (limit is int n && index.shape[0] > n) index = index.slice(0, 0, n, 1);
        var images = source.Images.index_select(0, index);
        var picked = labels.index_select(0, index);
        var relabelled = zeros_like(picked);
        for (int i = 0; i < digits.Length; i++) relabelled.masked_fill_(picked.eq(digits[i]), i);
        return (images.MoveToOuterDisposeScope(), relabelled.MoveToOuterDisposeScope());
    }
}
