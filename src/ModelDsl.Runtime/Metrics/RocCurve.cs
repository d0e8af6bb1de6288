using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Metrics;

/// <summary>
/// Streaming ROC curve. Update keeps the batch's scores and targets on their device (a detached copy per
/// batch, no host sync); Compute concatenates, copies to the host once and builds the exact curve.
/// Binary: one score per sample (N or N×1; a sigmoid is applied when fromLogits — monotonic, so the curve
/// and AUROC do not change, only the reported thresholds become probabilities) and 0/1 targets.
/// Multiclass: N×C scores (softmax when fromLogits) and class-index targets; one one-vs-rest curve per class.
/// </summary>
public class RocCurve : IMetric<RocCurveResult[]>, IDisposable
{
    private readonly List<Tensor> _scores = new();
    private readonly List<Tensor> _targets = new();

    public RocCurve(ClassificationTask task = ClassificationTask.Binary, int numClasses = 2, bool fromLogits = true)
    {
        if (task == ClassificationTask.Multilabel)
            throw new ArgumentException("roc: multilabel ROC is not supported; use one Binary RocCurve per label column.", nameof(task));
        if (task == ClassificationTask.Multiclass && numClasses < 2)
            throw new ArgumentException($"roc: a multiclass ROC needs numClasses ≥ 2 (got {numClasses}); for one output column use ClassificationTask.Binary.", nameof(numClasses));
        Task = task;
        NumClasses = task == ClassificationTask.Binary ? 2 : numClasses;
        FromLogits = fromLogits;
    }

    public virtual string Name => "roc";
    public ClassificationTask Task { get; }
    public int NumClasses { get; }
    public bool FromLogits { get; }

    public void Update(Tensor predictions, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(targets);
        MetricInputs.CheckSameDevice(Name, predictions, targets);
        using var scope = NewDisposeScope();
        predictions = predictions.detach();
        targets = targets.detach();
        if (predictions.dtype is ScalarType.Float16 or ScalarType.BFloat16) predictions = predictions.to(ScalarType.Float32);
        if (!MetricInputs.IsFloating(predictions))
            throw MetricInputs.Error(Name, $"needs floating-point scores (logits or probabilities), got {predictions.dtype} of shape {MetricInputs.Shape(predictions)}; hard labels make a curve with a single point.");
        Tensor s, t;
        if (Task == ClassificationTask.Binary)
        {
            var p = predictions;
            if (p.dim() == targets.dim() + 1 && p.shape[^1] == 1) p = p.squeeze(-1);
            if (predictions.dim() == targets.dim() + 1 && predictions.shape[^1] > 1)
                throw MetricInputs.Error(Name, $"binary task expects one score per sample but predictions have shape {MetricInputs.Shape(predictions)}; for one column per class use ClassificationTask.Multiclass with numClasses = {predictions.shape[^1]}.");
            if (!p.shape.SequenceEqual(targets.shape))
                throw MetricInputs.Error(Name, $"predictions {MetricInputs.Shape(predictions)} and targets {MetricInputs.Shape(targets)} do not match: binary task expects predictions [N] or [N, 1] and targets [N].");
            s = (FromLogits ? p.sigmoid() : p).reshape(-1);
            t = targets.reshape(-1);
            if (predictions.device.type == DeviceType.CPU)
            {
                long bad = t.ne(0).logical_and(t.ne(1)).sum().item<long>();
                if (bad > 0) throw MetricInputs.Error(Name, $"{bad} target value(s) that are not 0 or 1 (targets shape {MetricInputs.Shape(targets)}).");
            }
            t = t.to(ScalarType.Int64);
        }
        else
        {
            var (scores, tt) = MetricInputs.MulticlassScores(Name, NumClasses, predictions, targets);
            s = FromLogits ? scores.softmax(1) : scores;
            t = tt.to(ScalarType.Int64);
            if (predictions.device.type == DeviceType.CPU)
            {
                long bad = t.lt(0L).logical_or(t.ge((long)NumClasses)).sum().item<long>();
                if (bad > 0) throw MetricInputs.Error(Name, $"{bad} target value(s) outside the class range [0, {NumClasses - 1}] (targets shape {MetricInputs.Shape(targets)}).");
            }
        }
        _scores.Add(s.to(ScalarType.Float64).clone().DetachFromDisposeScope());
        _targets.Add(t.clone().DetachFromDisposeScope());
    }

    /// <summary>One curve (Binary) or one one-vs-rest curve per class (Multiclass).</summary>
    public RocCurveResult[] Compute()
    {
        if (_scores.Count == 0)
            throw new InvalidOperationException($"{Name}: Compute() called before any Update() (or right after Reset()); there is nothing to compute.");
        double[] scores;
        long[] targets;
        using (var sc = cat(_scores, 0)) scores = MetricInputs.ToDoubles(sc);
        using (var tc = cat(_targets, 0)) targets = MetricInputs.ToLongs(tc);
        if (Task == ClassificationTask.Binary)
        {
            if (targets.Any(v => v is not (0 or 1)))
                throw MetricInputs.Error(Name, "target values that are not 0 or 1.");
            return new[] { FromScores(scores, targets.Select(v => v == 1).ToArray()) };
        }
        if (targets.Any(v => v < 0 || v >= NumClasses))
            throw MetricInputs.Error(Name, $"target values outside the class range [0, {NumClasses - 1}].");
        int n = targets.Length, c = NumClasses;
        var result = new RocCurveResult[c];
        var col = new double[n];
        var pos = new bool[n];
        for (int k = 0; k < c; k++)
        {
            for (int i = 0; i < n; i++) { col[i] = scores[i * c + k]; pos[i] = targets[i] == k; }
            result[k] = FromScores(col, pos);
        }
        return result;
    }

    /// <summary>
    /// The exact ROC curve of <paramref name="scores"/> against <paramref name="positives"/> (sklearn's
    /// _binary_clf_curve): sort by decreasing score, one point per distinct score.
    /// </summary>
    public static RocCurveResult FromScores(IReadOnlyList<double> scores, IReadOnlyList<bool> positives)
    {
        if (scores.Count != positives.Count)
            throw new ArgumentException($"roc: {scores.Count} scores but {positives.Count} labels.");
        if (scores.Any(double.IsNaN))
            throw new ArgumentException("roc: scores contain NaN (did the model diverge?).");
        int n = scores.Count;
        var order = Enumerable.Range(0, n).OrderByDescending(i => scores[i]).ToArray();
        long p = positives.Count(b => b), neg = n - p;
        var fps = new List<double> { 0 }; var tps = new List<double> { 0 }; var th = new List<double> { double.PositiveInfinity };
        long tp = 0, fp = 0;
        for (int r = 0; r < n; r++)
        {
            int i = order[r];
            if (positives[i]) tp++; else fp++;
            if (r == n - 1 || scores[order[r + 1]] != scores[i])
            {
                tps.Add(tp); fps.Add(fp); th.Add(scores[i]);
            }
        }
        var tpr = tps.Select(v => p == 0 ? double.NaN : v / p).ToArray();
        var fpr = fps.Select(v => neg == 0 ? double.NaN : v / neg).ToArray();
        return new RocCurveResult(fpr, tpr, th.ToArray(), p, neg);
    }

    public void Reset()
    {
        foreach (var t in _scores) t.Dispose();
        foreach (var t in _targets) t.Dispose();
        _scores.Clear();
        _targets.Clear();
    }

    public void Dispose() => Reset();
}
