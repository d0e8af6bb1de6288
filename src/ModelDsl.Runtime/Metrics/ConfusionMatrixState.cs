using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Metrics;

/// <summary>
/// The one piece of state behind every count-based classification metric (confusion matrix, precision,
/// recall, F1, balanced error rate, the classification report, pixel accuracy, mean IoU): a flat int64
/// count tensor on the batch's device, updated with one scatter-add per batch (no host sync on CUDA).
/// <list type="bullet">
/// <item>Binary / Multiclass: C×C counts, row = true class, column = predicted class (Binary: C = 2).</item>
/// <item>Multilabel: L×2×2 counts, [label, target 0/1, prediction 0/1].</item>
/// </list>
/// Invalid targets (out of [0, C), or not 0/1) are counted on the device as well; on CPU they throw at
/// once, on other devices at <see cref="Counts"/>/<see cref="Statistics"/>. A trailing "dump" bin absorbs
/// ignored/invalid entries so that the scatter never goes out of bounds.
/// </summary>
public sealed class ConfusionMatrixState : IDisposable
{
    private Tensor? _counts;   // int64 [bins + 1], last = dump bin
    private Tensor? _invalid;  // int64 0-d
    private long _updates;

    public ConfusionMatrixState(string metricName, ClassificationTask task, int numClasses,
        double threshold = 0.5, bool fromLogits = true, long? ignoreIndex = null)
    {
        if (task == ClassificationTask.Binary) numClasses = 2;
        if (numClasses < 2 && task == ClassificationTask.Multiclass)
            throw new ArgumentException($"{metricName}: a multiclass metric needs numClasses ≥ 2 (got {numClasses}); for one output column use ClassificationTask.Binary.", nameof(numClasses));
        if (numClasses < 1)
            throw new ArgumentException($"{metricName}: numLabels must be ≥ 1 (got {numClasses}).", nameof(numClasses));
        if (threshold is < 0 or > 1 || double.IsNaN(threshold))
            throw new ArgumentException($"{metricName}: threshold must be a probability in [0, 1] (got {threshold}); it applies after the sigmoid when fromLogits is true.", nameof(threshold));
        MetricName = metricName;
        Task = task;
        NumClasses = numClasses;
        Threshold = threshold;
        FromLogits = fromLogits;
        IgnoreIndex = ignoreIndex;
    }

    public string MetricName { get; }
    public ClassificationTask Task { get; }
    /// <summary>Number of classes (2 for Binary) or labels (Multilabel).</summary>
    public int NumClasses { get; }
    public double Threshold { get; }
    public bool FromLogits { get; }
    public long? IgnoreIndex { get; }

    /// <summary>
    /// Validate targets eagerly (one host sync per batch). <c>null</c> (default): only when the batch is on the CPU,
    /// where it costs nothing; otherwise invalid targets are reported at Compute.
    /// </summary>
    public bool? ValidateEagerly { get; set; }

    /// <summary>Number of <see cref="Update"/> calls since the last reset.</summary>
    public long UpdateCount => _updates;

    private long Bins => Task == ClassificationTask.Multilabel ? NumClasses * 4L : (long)NumClasses * NumClasses;

    public void Update(Tensor predictions, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(targets);
        MetricInputs.CheckSameDevice(MetricName, predictions, targets);
        using var scope = NewDisposeScope();
        var p = MetricInputs.Labels(MetricName, Task, NumClasses, predictions.detach(), targets.detach(), Threshold, FromLogits, IgnoreIndex);

        Tensor index;
        if (Task == ClassificationTask.Multilabel)
        {
            // bin = label * 4 + target * 2 + prediction
            var label = arange(NumClasses, ScalarType.Int64, p.Predictions.device).unsqueeze(0).expand_as(p.Predictions);
            index = label * 4 + p.Targets * 2 + p.Predictions;
        }
        else
        {
            index = p.Targets * NumClasses + p.Predictions;
        }
        index = where(p.Keep, index, full_like(index, Bins)).reshape(-1);

        bool eager = ValidateEagerly ?? predictions.device.type == DeviceType.CPU;
        if (eager)
        {
            long bad = p.Invalid.item<long>();
            if (bad > 0) throw InvalidTargets(bad, targets);
        }

        EnsureState(predictions.device);
        _counts!.index_add_(0, index, ones_like(index), 1);
        if (!eager) _invalid!.add_(p.Invalid);
        _updates++;
    }

    private ArgumentException InvalidTargets(long bad, Tensor? targets)
    {
        string where = targets is null ? "" : $" (targets shape {MetricInputs.Shape(targets)})";
        string what = Task switch
        {
            ClassificationTask.Multiclass => $"outside the class range [0, {NumClasses - 1}]{(IgnoreIndex is long ig ? $" and not the ignore index {ig}" : "")} " +
                "(or integer predictions outside it). Check numClasses and the label encoding",
            _ => "that are not 0 or 1. Binary and multilabel targets must be 0/1",
        };
        return new ArgumentException($"{MetricName}: {bad} target value(s){where} {what}.");
    }

    private void EnsureState(Device device)
    {
        if (_counts is not null && _counts.device.type == device.type && _counts.device.index == device.index) return;
        if (_counts is not null)
            throw new ArgumentException($"{MetricName}: batches arrived on different devices ({_counts.device} then {device}); call Reset() when moving the model.");
        _counts = zeros(Bins + 1, ScalarType.Int64, device).DetachFromDisposeScope();
        _invalid = zeros(Array.Empty<long>(), ScalarType.Int64, device).DetachFromDisposeScope();
    }

    private long[] Raw()
    {
        if (_updates == 0 || _counts is null)
            throw new InvalidOperationException($"{MetricName}: Compute() called before any Update() (or right after Reset()); there is nothing to compute.");
        long bad = _invalid!.item<long>();
        if (bad > 0) throw InvalidTargets(bad, null);
        return MetricInputs.ToLongs(_counts);
    }

    /// <summary>The C×C confusion matrix (row = true class, column = predicted class). Binary/Multiclass only.</summary>
    public long[,] Counts()
    {
        if (Task == ClassificationTask.Multilabel)
            throw new InvalidOperationException($"{MetricName}: a multilabel task has one 2×2 matrix per label; use LabelCounts().");
        var raw = Raw();
        int c = NumClasses;
        var m = new long[c, c];
        for (int i = 0; i < c; i++)
            for (int j = 0; j < c; j++)
                m[i, j] = raw[i * c + j];
        return m;
    }

    /// <summary>Multilabel: L×2×2 counts [label, target, prediction].</summary>
    public long[,,] LabelCounts()
    {
        if (Task != ClassificationTask.Multilabel)
            throw new InvalidOperationException($"{MetricName}: LabelCounts() is for multilabel tasks; use Counts().");
        var raw = Raw();
        var m = new long[NumClasses, 2, 2];
        for (int l = 0; l < NumClasses; l++)
            for (int t = 0; t < 2; t++)
                for (int p = 0; p < 2; p++)
                    m[l, t, p] = raw[l * 4 + t * 2 + p];
        return m;
    }

    /// <summary>Per-class true/false positives/negatives and support, read back from the device once.</summary>
    public ClassStatistics Statistics()
    {
        int c = NumClasses;
        var tp = new long[c]; var fp = new long[c]; var fn = new long[c]; var tn = new long[c];
        if (Task == ClassificationTask.Multilabel)
        {
            var m = LabelCounts();
            for (int l = 0; l < c; l++)
            {
                tn[l] = m[l, 0, 0]; fp[l] = m[l, 0, 1]; fn[l] = m[l, 1, 0]; tp[l] = m[l, 1, 1];
            }
            return new ClassStatistics(Task, tp, fp, fn, tn, null);
        }
        var cm = Counts();
        long total = 0;
        foreach (var v in cm) total += v;
        for (int k = 0; k < c; k++)
        {
            long row = 0, col = 0;
            for (int j = 0; j < c; j++) { row += cm[k, j]; col += cm[j, k]; }
            tp[k] = cm[k, k];
            fn[k] = row - tp[k];
            fp[k] = col - tp[k];
            tn[k] = total - tp[k] - fp[k] - fn[k];
        }
        return new ClassStatistics(Task, tp, fp, fn, tn, cm);
    }

    public void Reset()
    {
        _counts?.Dispose(); _counts = null;
        _invalid?.Dispose(); _invalid = null;
        _updates = 0;
    }

    public void Dispose() => Reset();
}
