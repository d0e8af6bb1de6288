using System.Collections;
using System.Globalization;

namespace ModelDsl.Metrics;

/// <summary>
/// What <see cref="ClassificationMetric.Compute"/> returns, as torchmetrics' <c>compute()</c> returns a scalar or, with
/// <c>average=None</c>, a tensor of one score per class: one number for Micro/Macro/Weighted/Binary, one per class
/// (per label for Multilabel) for <see cref="Average.None"/>. It converts implicitly to <c>double</c> when it is one
/// number, so <c>double f1 = metric.Compute();</c> reads as before; a per-class result refuses that conversion with
/// its reason instead of silently averaging.
/// </summary>
public readonly struct ClassScores : IReadOnlyList<double>, IEquatable<ClassScores>
{
    private readonly double[] _scores;
    private readonly string _metric;

    private ClassScores(string metric, double[] scores, bool perClass)
    {
        _metric = metric;
        _scores = scores;
        IsPerClass = perClass;
    }

    internal static ClassScores One(string metric, double value) => new(metric, new[] { value }, false);

    internal static ClassScores PerClass(string metric, double[] scores) => new(metric, (double[])scores.Clone(), true);

    /// <summary>True for <see cref="Average.None"/>: one score per class, in class order.</summary>
    public bool IsPerClass { get; }

    /// <summary>The one number; for a per-class result an <see cref="InvalidOperationException"/> that says what to do.</summary>
    public double Value => IsPerClass
        ? throw new InvalidOperationException($"{_metric} with Average.None has one score per class ({Count}); index it (scores[k]), enumerate it, or use Average.Micro/Macro/Weighted for one number.")
        : (_scores ?? throw new InvalidOperationException("An empty ClassScores (default) has no value."))[0];

    public double this[int index] => (_scores ?? Array.Empty<double>())[index];

    /// <summary>1 for one number; the class (label) count for a per-class result.</summary>
    public int Count => _scores?.Length ?? 0;

    /// <summary>A copy of the scores (one element for an averaged result).</summary>
    public double[] ToArray() => (double[])(_scores ?? Array.Empty<double>()).Clone();

    public IEnumerator<double> GetEnumerator() => ((IEnumerable<double>)(_scores ?? Array.Empty<double>())).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public static implicit operator double(ClassScores scores) => scores.Value;

    public bool Equals(ClassScores other) => IsPerClass == other.IsPerClass && (_scores ?? Array.Empty<double>()).SequenceEqual(other._scores ?? Array.Empty<double>());

    public override bool Equals(object? obj) => obj is ClassScores other && Equals(other);

    public override int GetHashCode() => (_scores ?? Array.Empty<double>()).Aggregate(IsPerClass ? 17 : 3, (h, s) => h * 31 + s.GetHashCode());

    public override string ToString() => IsPerClass
        ? "[" + string.Join(", ", _scores.Select(s => s.ToString("0.####", CultureInfo.InvariantCulture))) + "]"
        : Count == 0 ? "(none)" : _scores[0].ToString("0.####", CultureInfo.InvariantCulture);
}
