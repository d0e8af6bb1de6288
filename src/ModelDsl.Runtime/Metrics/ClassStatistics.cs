namespace ModelDsl.Metrics;

/// <summary>
/// Per-class counts derived from one confusion matrix, and the precision/recall/F1 arithmetic on them
/// (sklearn semantics, zero_division = 0: a ratio with a zero denominator is 0).
/// For Binary/Multiclass, class k: tp = M[k,k], fn = row k − tp, fp = column k − tp, support = row k.
/// For Multilabel, label l's own 2×2 matrix; support = number of positive targets.
/// </summary>
public sealed class ClassStatistics
{
    public ClassStatistics(ClassificationTask task, long[] truePositives, long[] falsePositives, long[] falseNegatives,
        long[] trueNegatives, long[,]? confusionMatrix)
    {
        Task = task;
        TruePositives = truePositives;
        FalsePositives = falsePositives;
        FalseNegatives = falseNegatives;
        TrueNegatives = trueNegatives;
        ConfusionMatrix = confusionMatrix;
        Support = truePositives.Zip(falseNegatives, (a, b) => a + b).ToArray();
    }

    public ClassificationTask Task { get; }
    public long[] TruePositives { get; }
    public long[] FalsePositives { get; }
    public long[] FalseNegatives { get; }
    public long[] TrueNegatives { get; }
    /// <summary>Number of true instances of each class (tp + fn).</summary>
    public long[] Support { get; }
    /// <summary>C×C matrix (Binary/Multiclass), null for Multilabel.</summary>
    public long[,]? ConfusionMatrix { get; }
    public int NumClasses => TruePositives.Length;

    /// <summary>Samples counted (Binary/Multiclass) or label cells (Multilabel: N·L).</summary>
    public long Total => Task == ClassificationTask.Multilabel
        ? (TruePositives[0] + FalsePositives[0] + FalseNegatives[0] + TrueNegatives[0]) * (long)NumClasses
        : Support.Sum();

    private static double Div(double a, double b) => b == 0 ? 0.0 : a / b;

    public double[] PrecisionPerClass() => Enumerable.Range(0, NumClasses).Select(k => Div(TruePositives[k], TruePositives[k] + FalsePositives[k])).ToArray();
    public double[] RecallPerClass() => Enumerable.Range(0, NumClasses).Select(k => Div(TruePositives[k], TruePositives[k] + FalseNegatives[k])).ToArray();
    public double[] F1PerClass() => Enumerable.Range(0, NumClasses).Select(k => Div(2.0 * TruePositives[k], 2.0 * TruePositives[k] + FalsePositives[k] + FalseNegatives[k])).ToArray();

    /// <summary>Fraction of correct predictions: Σtp / N (Binary/Multiclass), or of correct label cells (Multilabel).</summary>
    public double Accuracy() => Task == ClassificationTask.Multilabel
        ? Div(TruePositives.Sum() + TrueNegatives.Sum(), Total)
        : Div(TruePositives.Sum(), Total);

    /// <summary>
    /// Mean recall over the classes present in the targets (support &gt; 0), sklearn's balanced_accuracy_score.
    /// Multilabel: mean over labels of (recall + specificity) / 2.
    /// </summary>
    public double BalancedAccuracy()
    {
        if (Task == ClassificationTask.Multilabel)
        {
            double s = 0;
            for (int l = 0; l < NumClasses; l++)
                s += (Div(TruePositives[l], TruePositives[l] + FalseNegatives[l]) + Div(TrueNegatives[l], TrueNegatives[l] + FalsePositives[l])) / 2;
            return s / NumClasses;
        }
        var recall = RecallPerClass();
        var present = Enumerable.Range(0, NumClasses).Where(k => Support[k] > 0).ToArray();
        return present.Length == 0 ? 0.0 : present.Average(k => recall[k]);
    }

    public double Precision(Average average) => Reduce(average, PrecisionPerClass(),
        () => Div(TruePositives.Sum(), TruePositives.Sum() + FalsePositives.Sum()));

    public double Recall(Average average) => Reduce(average, RecallPerClass(),
        () => Div(TruePositives.Sum(), TruePositives.Sum() + FalseNegatives.Sum()));

    public double F1(Average average) => Reduce(average, F1PerClass(),
        () => Div(2.0 * TruePositives.Sum(), 2.0 * TruePositives.Sum() + FalsePositives.Sum() + FalseNegatives.Sum()));

    /// <summary>Reduces per-class scores; <see cref="Average.None"/> reduces like <see cref="Average.Macro"/>.</summary>
    public double Reduce(Average average, double[] perClass, Func<double> micro)
    {
        switch (average)
        {
            case Average.Micro:
                return micro();
            case Average.Macro:
            case Average.None:
            {
                var included = Enumerable.Range(0, NumClasses)
                    .Where(k => Task == ClassificationTask.Multilabel || TruePositives[k] + FalsePositives[k] + FalseNegatives[k] > 0)
                    .ToArray();
                return included.Length == 0 ? 0.0 : included.Average(k => perClass[k]);
            }
            case Average.Weighted:
            {
                double w = Support.Sum();
                return w == 0 ? 0.0 : Enumerable.Range(0, NumClasses).Sum(k => Support[k] * perClass[k]) / w;
            }
            case Average.Binary:
                if (Task != ClassificationTask.Binary)
                    throw new ArgumentException($"Average.Binary (the positive class only) needs ClassificationTask.Binary, not {Task}; use Micro, Macro, Weighted or None.");
                return perClass[1];
            default:
                throw new ArgumentOutOfRangeException(nameof(average));
        }
    }
}
