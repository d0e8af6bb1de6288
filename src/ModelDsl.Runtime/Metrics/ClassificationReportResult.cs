using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ModelDsl.Metrics;

/// <summary>One row of a <see cref="ClassificationReportResult"/>.</summary>
public sealed record ClassReportRow(string ClassName, double Precision, double Recall, double F1, long Support);

/// <summary>Precision, recall and F1 under one averaging mode.</summary>
public readonly record struct AveragedScores(double Precision, double Recall, double F1);

/// <summary>
/// The computed classification report. <see cref="ToString()"/> prints sklearn's table;
/// <see cref="ToJson"/> writes the metrics.json fields (accuracy; precision/recall/F1 under micro, macro and
/// weighted; per-class precision, recall, F1 and support; the confusion matrix; the balanced error rate).
/// </summary>
public sealed class ClassificationReportResult
{
    private ClassificationReportResult(ClassStatistics stats, IReadOnlyList<string> names)
    {
        Statistics = stats;
        ClassNames = names;
        var p = stats.PrecisionPerClass(); var r = stats.RecallPerClass(); var f = stats.F1PerClass();
        Rows = Enumerable.Range(0, stats.NumClasses).Select(k => new ClassReportRow(names[k], p[k], r[k], f[k], stats.Support[k])).ToArray();
        Accuracy = stats.Accuracy();
        Micro = Scores(stats, Average.Micro);
        Macro = Scores(stats, Average.Macro);
        Weighted = Scores(stats, Average.Weighted);
        BalancedErrorRate = 1.0 - stats.BalancedAccuracy();
    }

    internal static ClassificationReportResult From(ClassStatistics stats, IReadOnlyList<string> names) => new(stats, names);

    private static AveragedScores Scores(ClassStatistics s, Average a) => new(s.Precision(a), s.Recall(a), s.F1(a));

    public ClassStatistics Statistics { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public IReadOnlyList<ClassReportRow> Rows { get; }
    public double Accuracy { get; }
    public AveragedScores Micro { get; }
    public AveragedScores Macro { get; }
    public AveragedScores Weighted { get; }
    public double BalancedErrorRate { get; }
    /// <summary>C×C, row = true class, column = predicted (null for Multilabel).</summary>
    public long[,]? ConfusionMatrix => Statistics.ConfusionMatrix;
    /// <summary>Samples counted (Binary/Multiclass) or positive targets (Multilabel).</summary>
    public long TotalSupport => Statistics.Support.Sum();

    public double[] PrecisionPerClass => Rows.Select(r => r.Precision).ToArray();
    public double[] RecallPerClass => Rows.Select(r => r.Recall).ToArray();
    public double[] F1PerClass => Rows.Select(r => r.F1).ToArray();

    /// <summary>sklearn-style text table with 4 decimals (plus a micro avg row and the balanced error rate).</summary>
    public override string ToString() => ToString(4);

    public string ToString(int digits)
    {
        var ci = CultureInfo.InvariantCulture;
        int w = Math.Max(12, ClassNames.Max(n => n.Length) + 1);
        int col = Math.Max(9, digits + 5);
        string fmt(double v) => v.ToString("F" + digits, ci).PadLeft(col);
        var sb = new StringBuilder();
        sb.Append(new string(' ', w)).Append("precision".PadLeft(col)).Append("recall".PadLeft(col))
          .Append("f1-score".PadLeft(col)).Append("support".PadLeft(col)).AppendLine().AppendLine();
        foreach (var r in Rows)
            sb.Append(r.ClassName.PadLeft(w)).Append(fmt(r.Precision)).Append(fmt(r.Recall)).Append(fmt(r.F1))
              .Append(r.Support.ToString(ci).PadLeft(col)).AppendLine();
        sb.AppendLine();
        long n = TotalSupport;
        if (Statistics.Task != ClassificationTask.Multilabel)
            sb.Append("accuracy".PadLeft(w)).Append(new string(' ', 2 * col)).Append(fmt(Accuracy))
              .Append(n.ToString(ci).PadLeft(col)).AppendLine();
        void avg(string name, AveragedScores s) =>
            sb.Append(name.PadLeft(w)).Append(fmt(s.Precision)).Append(fmt(s.Recall)).Append(fmt(s.F1))
              .Append(n.ToString(ci).PadLeft(col)).AppendLine();
        avg("micro avg", Micro);
        avg("macro avg", Macro);
        avg("weighted avg", Weighted);
        sb.AppendLine();
        sb.Append("balanced error rate: ").Append(BalancedErrorRate.ToString("F" + digits, ci)).AppendLine();
        return sb.ToString();
    }

    /// <summary>Writes the report's fields (snake_case) into an open JSON object, e.g. inside metrics.json.</summary>
    public void WriteJsonProperties(Utf8JsonWriter w)
    {
        w.WriteNumber("accuracy", Accuracy);
        void scores(string name, Func<AveragedScores, double> pick)
        {
            w.WriteStartObject(name);
            w.WriteNumber("micro", pick(Micro));
            w.WriteNumber("macro", pick(Macro));
            w.WriteNumber("weighted", pick(Weighted));
            w.WriteEndObject();
        }
        scores("precision", s => s.Precision);
        scores("recall", s => s.Recall);
        scores("f1", s => s.F1);
        w.WriteNumber("balanced_error_rate", BalancedErrorRate);
        w.WriteStartArray("per_class");
        foreach (var r in Rows)
        {
            w.WriteStartObject();
            w.WriteString("class", r.ClassName);
            w.WriteNumber("precision", r.Precision);
            w.WriteNumber("recall", r.Recall);
            w.WriteNumber("f1", r.F1);
            w.WriteNumber("support", r.Support);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("class_names");
        foreach (var c in ClassNames) w.WriteStringValue(c);
        w.WriteEndArray();
        if (ConfusionMatrix is { } cm)
        {
            w.WriteStartArray("confusion_matrix");
            for (int i = 0; i < cm.GetLength(0); i++)
            {
                w.WriteStartArray();
                for (int j = 0; j < cm.GetLength(1); j++) w.WriteNumberValue(cm[i, j]);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
    }

    /// <summary>A standalone JSON object with the fields of <see cref="WriteJsonProperties"/>.</summary>
    public string ToJson(bool indented = true)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartObject();
            WriteJsonProperties(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }
}
