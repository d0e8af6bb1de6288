using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Metrics;

/// <summary>
/// Accuracy (micro: correct / total), streaming, state on the batch's device.
/// Multiclass: a sample is correct when its target is among the <see cref="TopK"/> highest scores (argmax
/// for k = 1; logits or probabilities give the same answer). Binary: sigmoid (when fromLogits) then
/// threshold on one column. Multilabel: the share of correct label cells (Hamming accuracy).
/// </summary>
public class Accuracy : IMetric, IDisposable
{
    private Tensor? _correct, _total, _invalid;
    private long _updates;
    private int? _numClasses;

    /// <param name="numClasses">Classes (Multiclass; null = take it from the predictions' columns) or labels (Multilabel).</param>
    /// <param name="topK">Multiclass only: count a hit when the target is among the k best scores.</param>
    /// <param name="task">How outputs become labels (argmax/top-k, or a threshold).</param>
    /// <param name="threshold">Probability threshold for Binary/Multilabel.</param>
    /// <param name="fromLogits">Binary/Multilabel: apply a sigmoid before the threshold.</param>
    /// <param name="ignoreIndex">Multiclass: a target value to skip.</param>
    public Accuracy(int? numClasses = null, int topK = 1, ClassificationTask task = ClassificationTask.Multiclass,
        double threshold = 0.5, bool fromLogits = true, long? ignoreIndex = null)
    {
        if (topK < 1) throw new ArgumentException($"accuracy: topK must be ≥ 1 (got {topK}).", nameof(topK));
        if (topK > 1 && task != ClassificationTask.Multiclass)
            throw new ArgumentException($"accuracy: topK > 1 needs ClassificationTask.Multiclass (got {task}).", nameof(topK));
        if (task == ClassificationTask.Multilabel && numClasses is null)
            throw new ArgumentException("accuracy: a multilabel task needs numClasses (the number of labels).", nameof(numClasses));
        if (numClasses is int n && topK > n)
            throw new ArgumentException($"accuracy: topK = {topK} is more than numClasses = {n}.", nameof(topK));
        _numClasses = task == ClassificationTask.Binary ? 2 : numClasses;
        TopK = topK;
        Task = task;
        Threshold = threshold;
        FromLogits = fromLogits;
        IgnoreIndex = ignoreIndex;
        Name = topK == 1 ? "accuracy" : $"top{topK}_accuracy";
    }

    public virtual string Name { get; }
    public int TopK { get; }
    public ClassificationTask Task { get; }
    public double Threshold { get; }
    public bool FromLogits { get; }
    public long? IgnoreIndex { get; }
    public int? NumClasses => _numClasses;

    /// <summary>See <see cref="ConfusionMatrixState.ValidateEagerly"/>.</summary>
    public bool? ValidateEagerly { get; set; }

    /// <summary>
    /// torchmetrics' <c>metric(preds, target)</c> (its <c>forward</c>): this batch's value alone (for an ErrorRate, its error
    /// rate), while the batch is also accumulated as <see cref="Update"/> would.
    /// </summary>
    public double Forward(Tensor predictions, Tensor targets)
    {
        using var batch = new Accuracy(NumClasses, TopK, Task, Threshold, FromLogits, IgnoreIndex);
        batch.Update(predictions, targets);
        Update(predictions, targets);
        return FromAccuracy(batch.Compute());
    }

    /// <summary>The metric's value for an accuracy (ErrorRate: 1 − accuracy).</summary>
    protected virtual double FromAccuracy(double accuracy) => accuracy;

    public void Update(Tensor predictions, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(targets);
        MetricInputs.CheckSameDevice(Name, predictions, targets);
        using var scope = NewDisposeScope();
        predictions = predictions.detach();
        targets = targets.detach();
        Tensor hits, keep, invalid;
        if (Task == ClassificationTask.Multiclass && (TopK > 1 || MetricInputs.IsFloating(predictions)))
        {
            var (scores, t) = MetricInputs.MulticlassScores(Name, _numClasses, predictions, targets);
            if (TopK > scores.shape[1])
                throw MetricInputs.Error(Name, $"topK = {TopK} but predictions have only {scores.shape[1]} class columns (shape {MetricInputs.Shape(predictions)}).");
            int c = (int)scores.shape[1];
            _numClasses ??= c;
            t = t.to(ScalarType.Int64);
            var inRange = t.ge(0L).logical_and(t.lt((long)c));
            var notIgnored = IgnoreIndex is long ig ? t.ne(ig) : ones_like(t, ScalarType.Bool);
            invalid = notIgnored.logical_and(inRange.logical_not()).sum();
            keep = notIgnored.logical_and(inRange);
            var top = TopK == 1 ? scores.argmax(1, keepdim: true) : scores.topk(TopK, 1).indexes;
            hits = top.eq(t.unsqueeze(1)).any(1);
        }
        else
        {
            if (Task == ClassificationTask.Multiclass && _numClasses is null)
                throw MetricInputs.Error(Name, "integer (label) predictions need numClasses to check the target range; pass numClasses to the constructor.");
            var p = MetricInputs.Labels(Name, Task, _numClasses!.Value, predictions, targets, Threshold, FromLogits, IgnoreIndex);
            hits = p.Predictions.eq(p.Targets);
            keep = p.Keep;
            invalid = p.Invalid;
        }
        bool eager = ValidateEagerly ?? predictions.device.type == DeviceType.CPU;
        if (eager)
        {
            long bad = invalid.item<long>();
            if (bad > 0) throw InvalidTargets(bad);
        }
        if (_correct is null)
        {
            _correct = zeros(Array.Empty<long>(), ScalarType.Int64, predictions.device).DetachFromDisposeScope();
            _total = zeros(Array.Empty<long>(), ScalarType.Int64, predictions.device).DetachFromDisposeScope();
            _invalid = zeros(Array.Empty<long>(), ScalarType.Int64, predictions.device).DetachFromDisposeScope();
        }
        _correct.add_(hits.logical_and(keep).sum());
        _total!.add_(keep.sum());
        if (!eager) _invalid!.add_(invalid);
        _updates++;
    }

    private ArgumentException InvalidTargets(long bad) => new(Task == ClassificationTask.Multiclass
        ? $"{Name}: {bad} target value(s) outside the class range [0, {(_numClasses ?? 0) - 1}] (or integer predictions outside it). Check numClasses and the label encoding."
        : $"{Name}: {bad} target value(s) that are not 0 or 1. Binary and multilabel targets must be 0/1.");

    /// <summary>Correct / total since the last reset.</summary>
    public virtual double Compute()
    {
        if (_updates == 0 || _correct is null)
            throw new InvalidOperationException($"{Name}: Compute() called before any Update() (or right after Reset()); there is nothing to compute.");
        long bad = _invalid!.item<long>();
        if (bad > 0) throw InvalidTargets(bad);
        long total = _total!.item<long>();
        return total == 0 ? 0.0 : (double)_correct.item<long>() / total;
    }

    public void Reset()
    {
        _correct?.Dispose(); _correct = null;
        _total?.Dispose(); _total = null;
        _invalid?.Dispose(); _invalid = null;
        _updates = 0;
    }

    public void Dispose() => Reset();
}
