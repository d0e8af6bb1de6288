using System.Diagnostics;
using System.Globalization;
using ModelDsl.Data;
using ModelDsl.Metrics;
using ModelDsl.Reports;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Adversarial;

/// <summary>
/// The command line, parsed. <see cref="Epsilons"/> are the attack radii (L∞, pixel units of digits in [0, 1]); PGD takes
/// <see cref="PgdSteps"/> steps of α = 2.5·ε / steps from the clean digit. <see cref="TrainLimit"/> and <see cref="Limit"/>
/// cap the training digits and the attacked test digits (null = all).
/// </summary>
public sealed record AdversarialSettings(int Epochs, int BatchSize, double LearningRate, IReadOnlyList<double> Epsilons, int PgdSteps,
    int? TrainLimit, int? Limit, int Seed, string OutputDirectory)
{
    /// <summary>The defaults of the command line.</summary>
    public static AdversarialSettings Default { get; } = new(4, 32, 5e-3, [0.05, 0.1, 0.2], 10, null, null, 42, "out-adversarial");

    /// <summary>What is wrong with the settings, naming the option, or null.</summary>
    public string? Validate()
    {
        if (Epochs < 1) return $"--epochs must be at least 1; got {Epochs}.";
        if (BatchSize < 1) return $"--batch-size must be at least 1; got {BatchSize}.";
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) return $"--lr must be finite and > 0; got {LearningRate.ToString(CultureInfo.InvariantCulture)}.";
        if (Epsilons.Count == 0) return "--epsilon needs at least one value.";
        foreach (var e in Epsilons)
            if (!(e >= 0) || !(e <= 1)) return $"--epsilon must be in [0, 1] (pixel units of digits in [0, 1]); got {e.ToString(CultureInfo.InvariantCulture)}.";
        if (PgdSteps < 1) return $"--pgd-steps must be at least 1; got {PgdSteps}.";
        if (TrainLimit is < 1) return $"--train-limit must be at least 1; got {TrainLimit}.";
        if (Limit is < 1) return $"--limit must be at least 1; got {Limit}.";
        if (string.IsNullOrWhiteSpace(OutputDirectory)) return "--out must name a folder.";
        return null;
    }

    /// <summary>PGD's step for radius <paramref name="epsilon"/>: 2.5·ε / steps (Madry et al.'s rule), so the steps can cross the ball.</summary>
    public double PgdAlpha(double epsilon) => 2.5 * epsilon / PgdSteps;
}

/// <summary>One row of the table: the accuracy on the attacked test digits at one ε.</summary>
public sealed record AttackRow(double Epsilon, double FgsmAccuracy, double PgdAccuracy);

/// <summary>What the run measured, for the tests.</summary>
public sealed record AdversarialResult(double CleanAccuracy, IReadOnlyList<AttackRow> Rows, string FigurePath, int FooledInFigure, int TestDigits);

/// <summary>
/// Trains <see cref="AttackedNet"/> on the bundled MNIST digits, then attacks its test digits with <see cref="ModelDsl.Training.Adversarial.Fgsm"/>
/// and <see cref="ModelDsl.Training.Adversarial.Pgd"/> at each ε and prints clean against adversarial accuracy; adversarial.png shows, for a few
/// digits the net gets right, the clean digit, the FGSM perturbation at the largest ε and the adversarial digit with their
/// predictions.
/// </summary>
public static class AdversarialJob
{
    private const int EvalBatch = 500;

    public static int Run(AdversarialSettings settings, TextWriter console, TextWriter errors)
        => ConsoleJob.Run(() => Measure(settings, console), errors, settings.Validate());

    public static AdversarialResult Measure(AdversarialSettings settings, TextWriter console)
    {
        if (settings.Validate() is { } problem) throw new ArgumentException(problem, nameof(settings));
        using var trainDigits = BundledData.LoadMnist(train: true);
        using var testDigits = BundledData.LoadMnist(train: false);
        using var train = First(trainDigits, settings.TrainLimit);
        var (images, labels) = AsFloat(testDigits, settings.Limit);
        using var testImages = images;
        using var testLabels = labels;
        int n = (int)testImages.shape[0];
        console.WriteLine($"data: bundled MNIST ({BundledData.MnistDirectory}): {train.Count:N0} train digits; {n:N0} test digits attacked");

        torch.manual_seed(settings.Seed);
        using var model = new AttackedNet();
        console.WriteLine($"model: AttackedNet, {AttackedNet.ParameterCount:N0} parameters; {settings.Epochs} epochs of one-cycle Adam, peak {settings.LearningRate.ToString(CultureInfo.InvariantCulture)}");
        var clock = Stopwatch.StartNew();
        using (var trainLoader = new DataLoader(train, settings.BatchSize, shuffle: true, seed: settings.Seed))
        using (var validLoader = new DataLoader(testDigits, EvalBatch))
        using (var accuracy = new Accuracy(10))
        using (var learner = new Learner(model, trainLoader, validLoader, new LearnerOptions
        {
            Loss = Loss.CrossEntropy(),
            Optimizer = OptimizerSpec.Adam(),
            Metrics = { accuracy },
            Device = CPU,
            Seed = settings.Seed,
            Writer = console,
        }))
        {
            learner.FitOneCycle(settings.Epochs, settings.LearningRate);
            learner.ThrowIfFailed();
        }
        console.WriteLine($"trained in {clock.Elapsed.TotalSeconds:F1} s");
        model.eval();

        clock.Restart();
        double clean = AccuracyOn(model, testImages, testLabels, (x, _) => x.alias());
        var rows = new List<AttackRow>();
        foreach (var eps in settings.Epsilons)
        {
            double fgsm = AccuracyOn(model, testImages, testLabels, (x, y) => ModelDsl.Training.Adversarial.Fgsm(model, x, y, eps));
            double pgd = AccuracyOn(model, testImages, testLabels,
                (x, y) => ModelDsl.Training.Adversarial.Pgd(model, x, y, eps, settings.PgdAlpha(eps), settings.PgdSteps));
            rows.Add(new AttackRow(eps, fgsm, pgd));
        }
        console.WriteLine();
        console.WriteLine($"accuracy on {n:N0} test digits (attacked in {clock.Elapsed.TotalSeconds:F1} s); PGD: {settings.PgdSteps} steps of α = 2.5·ε/{settings.PgdSteps} from the clean digit");
        console.WriteLine("epsilon  clean   FGSM    PGD");
        foreach (var r in rows)
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Epsilon,-7:0.###}  {clean:F4}  {r.FgsmAccuracy:F4}  {r.PgdAccuracy:F4}"));

        // The figure: FGSM at the largest ε on digits the net gets right, those it fools first.
        double shown = settings.Epsilons.Max();
        var (path, fooled) = Figure(model, testImages, testLabels, shown, Path.Combine(settings.OutputDirectory, "adversarial.png"));
        console.WriteLine();
        console.WriteLine($"wrote {path} (FGSM, ε = {shown.ToString(CultureInfo.InvariantCulture)}: {fooled} of the digits shown fooled)");
        return new AdversarialResult(clean, rows, path, fooled, n);
    }

    /// <summary>The model's accuracy on <paramref name="attack"/>(images, labels), in batches, each in its own dispose scope.</summary>
    private static double AccuracyOn(AttackedNet model, Tensor images, Tensor labels, Func<Tensor, Tensor, Tensor> attack)
    {
        long correct = 0, n = images.shape[0];
        for (long start = 0; start < n; start += EvalBatch)
        {
            using var scope = NewDisposeScope();
            long end = Math.Min(n, start + EvalBatch);
            var x = images.slice(0, start, end, 1);
            var y = labels.slice(0, start, end, 1);
            var attacked = attack(x, y); // the attacks differentiate the input: outside no_grad
            using var noGrad = no_grad();
            correct += model.call(attacked).argmax(1).eq(y).sum().item<long>();
        }
        return correct / (double)n;
    }

    /// <summary>Up to six test digits the net classifies right, those FGSM fools first, drawn by <see cref="Plots.AdversarialExamples"/>.</summary>
    private static (string Path, int Fooled) Figure(AttackedNet model, Tensor images, Tensor labels, double epsilon, string path)
    {
        using var scope = NewDisposeScope();
        long m = Math.Min(images.shape[0], EvalBatch);
        var x = images.slice(0, 0, m, 1);
        var y = labels.slice(0, 0, m, 1);
        var adv = ModelDsl.Training.Adversarial.Fgsm(model, x, y, epsilon);
        long[] cleanPred, advPred, truth;
        using (no_grad())
        {
            cleanPred = model.call(x).argmax(1).data<long>().ToArray();
            advPred = model.call(adv).argmax(1).data<long>().ToArray();
        }
        truth = y.data<long>().ToArray();
        var right = Enumerable.Range(0, (int)m).Where(i => cleanPred[i] == truth[i]).ToList();
        var pick = right.Where(i => advPred[i] != truth[i]).Concat(right.Where(i => advPred[i] == truth[i])).Take(6).OrderBy(i => i).ToArray();
        if (pick.Length == 0) pick = [0];
        var index = tensor(pick.Select(i => (long)i).ToArray());
        var cx = x.index_select(0, index);
        var ax = adv.index_select(0, index);
        Tensor cleanLogits, advLogits;
        using (no_grad())
        {
            cleanLogits = model.call(cx);
            advLogits = model.call(ax);
        }
        Plots.AdversarialExamples(cx, ax, cleanLogits, advLogits, y.index_select(0, index), path,
            title: $"FGSM, ε = {epsilon.ToString(CultureInfo.InvariantCulture)}: the net fooled", maxImages: pick.Length);
        return (path, pick.Count(i => advPred[i] != truth[i]));
    }

    /// <summary>The first <paramref name="limit"/> samples of <paramref name="digits"/> (all when null), as a dataset of its own.</summary>
    private static TensorDataset First(TensorDataset digits, int? limit)
    {
        var (images, labels) = AsFloat(digits, limit);
        return new TensorDataset(images, labels, digits.ClassNames);
    }

    /// <summary>The first <paramref name="limit"/> images as float32 in [0, 1] and their labels (the caller owns both).</summary>
    private static (Tensor Images, Tensor Labels) AsFloat(TensorDataset digits, int? limit)
    {
        using var scope = NewDisposeScope();
        long n = Math.Min(digits.Count, limit ?? digits.Count);
        var images = digits.Images.slice(0, 0, n, 1).to_type(ScalarType.Float32).div_(255);
        var labels = digits.Labels.slice(0, 0, n, 1).clone();
        return (images.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }
}
