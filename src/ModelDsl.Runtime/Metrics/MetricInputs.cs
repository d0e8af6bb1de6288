using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Metrics;

/// <summary>
/// Labels prepared for counting: flat int64 <see cref="Predictions"/> and <see cref="Targets"/> of equal
/// length, a bool <see cref="Keep"/> mask (false for ignored or invalid entries) and the number of invalid
/// targets in the batch as a 0-d int64 tensor (kept on the device, no host sync).
/// </summary>
internal readonly record struct PreparedLabels(Tensor Predictions, Tensor Targets, Tensor Keep, Tensor Invalid);

/// <summary>
/// Shape and dtype checks shared by every classification metric, and the conversion of raw model outputs
/// to labels. Shape checks are host metadata and fail immediately; value checks (targets out of range)
/// are counted on the device and reported by the metric (immediately on CPU, at Compute on CUDA).
/// Call inside a dispose scope: every returned tensor is a temporary.
/// </summary>
internal static class MetricInputs
{
    internal static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";

    internal static bool IsFloating(Tensor t) => torch.is_floating_point(t);

    internal static bool IsInteger(Tensor t) => t.dtype is ScalarType.Int64 or ScalarType.Int32
        or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte or ScalarType.Bool;

    internal static ArgumentException Error(string metric, string message) =>
        new($"{metric}: {message}");

    /// <summary>Predictions and targets must live on the same device (the metric's state follows them).</summary>
    internal static void CheckSameDevice(string metric, Tensor predictions, Tensor targets)
    {
        var a = predictions.device; var b = targets.device;
        if (a.type != b.type || (a.type != DeviceType.CPU && a.index != b.index))
            throw Error(metric, $"predictions are on {a} but targets on {b}; move both to the same device before Update.");
    }

    /// <summary>
    /// Multiclass scores: returns scores as 2-D N'×C (dense outputs N×C×d… are flattened to (N·d…)×C)
    /// and the matching flat targets. Throws the single-column (the "accuracy stuck at 0.4634" bug),
    /// column-count and shape-mismatch errors.
    /// </summary>
    internal static (Tensor Scores, Tensor Targets) MulticlassScores(string metric, int? numClasses, Tensor predictions, Tensor targets)
    {
        CheckTargetsInteger(metric, targets, "class indices");
        if (predictions.dim() == targets.dim() + 1 && predictions.dim() >= 2)
        {
            long c = predictions.shape[1];
            if (c == 1)
                throw Error(metric, $"multiclass (argmax) metric got predictions of shape {Shape(predictions)} — a single column. " +
                    "The argmax of one column is always 0, so the metric only measures how often the target is class 0 " +
                    "(the 'accuracy stuck at 0.4634' bug). Either use ClassificationTask.Binary (a threshold on that one " +
                    $"logit/probability) or make the model output NumClasses{(numClasses is int n ? $" = {n}" : "")} columns.");
            if (numClasses is int nc && c != nc)
                throw Error(metric, $"predictions have {c} class columns (shape {Shape(predictions)}) but the metric was created with numClasses = {nc}.");
            var rest = predictions.shape.Take(1).Concat(predictions.shape.Skip(2)).ToArray();
            if (!rest.SequenceEqual(targets.shape))
                throw Error(metric, $"predictions {Shape(predictions)} and targets {Shape(targets)} do not match: expected targets of shape [{string.Join(", ", rest)}] (predictions without the class dimension 1).");
            var scores = predictions.dim() == 2 ? predictions : predictions.movedim(new long[] { 1 }, new long[] { -1 }).reshape(-1, c);
            return (scores, targets.reshape(-1));
        }
        if (predictions.dim() == targets.dim() && IsFloating(predictions))
        {
            if (predictions.shape.SequenceEqual(targets.shape))
                throw Error(metric, $"multiclass (argmax) metric got floating-point predictions of shape {Shape(predictions)}, the same shape as the targets — " +
                    "one score per sample, not one per class. Use ClassificationTask.Binary (threshold) or make the model output NumClasses columns " +
                    "(then predictions are [N, NumClasses] and targets [N]).");
        }
        throw Error(metric, $"predictions {Shape(predictions)} and targets {Shape(targets)} do not fit a multiclass task: " +
            "expected predictions [N, C] (or [N, C, ...]) of scores and targets [N] (or [N, ...]) of class indices.");
    }

    /// <summary>Labels for Binary / Multiclass (flat) and Multilabel (N×L) tasks.</summary>
    internal static PreparedLabels Labels(string metric, ClassificationTask task, int numClasses, Tensor predictions, Tensor targets,
        double threshold, bool fromLogits, long? ignoreIndex)
    {
        switch (task)
        {
            case ClassificationTask.Multiclass:
            {
                Tensor preds, tgts;
                if (IsInteger(predictions) && predictions.dim() == targets.dim() && !predictions.shape.SequenceEqual(Array.Empty<long>()))
                {
                    CheckTargetsInteger(metric, targets, "class indices");
                    if (!predictions.shape.SequenceEqual(targets.shape))
                        throw Error(metric, $"integer predictions {Shape(predictions)} (labels) and targets {Shape(targets)} must have the same shape.");
                    preds = predictions.reshape(-1).to(ScalarType.Int64);
                    tgts = targets.reshape(-1).to(ScalarType.Int64);
                }
                else
                {
                    var (scores, t) = MulticlassScores(metric, numClasses, predictions, targets);
                    preds = scores.argmax(1);
                    tgts = t.to(ScalarType.Int64);
                }
                var inRange = tgts.ge(0L).logical_and(tgts.lt((long)numClasses));
                var predOk = preds.ge(0L).logical_and(preds.lt((long)numClasses));
                Tensor keep, invalid;
                if (ignoreIndex is long ig)
                {
                    var notIgnored = tgts.ne(ig);
                    invalid = notIgnored.logical_and(inRange.logical_and(predOk).logical_not()).sum();
                    keep = notIgnored.logical_and(inRange).logical_and(predOk);
                }
                else
                {
                    keep = inRange.logical_and(predOk);
                    invalid = keep.logical_not().sum();
                }
                return new PreparedLabels(preds, tgts, keep, invalid);
            }
            case ClassificationTask.Binary:
            {
                var p = predictions;
                if (p.dim() == targets.dim() + 1 && p.shape[^1] == 1) p = p.squeeze(-1);
                if (predictions.dim() == targets.dim() + 1 && predictions.shape[^1] > 1)
                    throw Error(metric, $"binary task expects one score per sample but predictions have shape {Shape(predictions)} " +
                        $"({predictions.shape[^1]} columns). For one column per class use ClassificationTask.Multiclass with numClasses = {predictions.shape[^1]}.");
                if (!p.shape.SequenceEqual(targets.shape))
                    throw Error(metric, $"predictions {Shape(predictions)} and targets {Shape(targets)} do not match: binary task expects predictions [N] or [N, 1] and targets [N].");
                var preds = ToBinaryLabels(p, threshold, fromLogits).reshape(-1);
                var (tgts, invalid) = BinaryTargets(metric, targets);
                tgts = tgts.reshape(-1);
                var keep = invalid.Item2.reshape(-1).logical_not();
                return new PreparedLabels(preds, tgts, keep, invalid.Item1);
            }
            case ClassificationTask.Multilabel:
            {
                if (predictions.dim() != 2 || !predictions.shape.SequenceEqual(targets.shape))
                    throw Error(metric, $"multilabel task expects predictions and targets of the same shape [N, L]; got predictions {Shape(predictions)} and targets {Shape(targets)}.");
                if (predictions.shape[1] != numClasses)
                    throw Error(metric, $"predictions have {predictions.shape[1]} label columns (shape {Shape(predictions)}) but the metric was created with numLabels = {numClasses}.");
                var preds = ToBinaryLabels(predictions, threshold, fromLogits);
                var (tgts, invalid) = BinaryTargets(metric, targets);
                return new PreparedLabels(preds, tgts, invalid.Item2.logical_not(), invalid.Item1);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(task));
        }
    }

    /// <summary>Floating scores → 0/1 via (sigmoid and) threshold; integer/bool predictions are labels already.</summary>
    internal static Tensor ToBinaryLabels(Tensor scores, double threshold, bool fromLogits)
    {
        if (!IsFloating(scores)) return scores.to(ScalarType.Int64).ne(0L).to(ScalarType.Int64);
        if (scores.dtype is ScalarType.Float16 or ScalarType.BFloat16) scores = scores.to(ScalarType.Float32);
        var probs = fromLogits ? scores.sigmoid() : scores;
        return probs.ge(threshold).to(ScalarType.Int64);
    }

    /// <summary>0/1 targets (int, bool or float); returns int64 targets and (invalid count, invalid mask).</summary>
    internal static (Tensor Targets, (Tensor, Tensor) Invalid) BinaryTargets(string metric, Tensor targets)
    {
        var bad = targets.ne(0).logical_and(targets.ne(1));
        return (targets.to(ScalarType.Int64), (bad.sum(), bad));
    }

    internal static void CheckTargetsInteger(string metric, Tensor targets, string what)
    {
        if (!IsInteger(targets))
            throw Error(metric, $"targets must be integer {what} (int64), got {targets.dtype} of shape {Shape(targets)}. " +
                "For one-hot or soft targets take argmax first; for 0/1 float targets use ClassificationTask.Binary or Multilabel.");
    }

    internal static double[] ToDoubles(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().to(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
    }

    internal static long[] ToLongs(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().to(ScalarType.Int64).cpu().contiguous().data<long>().ToArray();
    }
}
