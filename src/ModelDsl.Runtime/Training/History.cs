using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ModelDsl.Training;

/// <summary>
/// Per-epoch records of every fit of a learner (a resumed fit continues the same history), with
/// CSV and JSON export. Numbers are written with the invariant culture and round-trip precision,
/// so a log written on a German machine parses everywhere and reproduces the exact values.
/// </summary>
public sealed class History : IReadOnlyList<EpochRecord>
{
    private readonly List<EpochRecord> _records = new();

    public int Count => _records.Count;
    public EpochRecord this[int index] => _records[index];
    public IEnumerator<EpochRecord> GetEnumerator() => _records.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Add(EpochRecord record) => _records.Add(record);
    internal void Clear() => _records.Clear();

    /// <summary>Metric column names in order of first appearance.</summary>
    public IReadOnlyList<string> MetricNames =>
        _records.SelectMany(r => r.Metrics.Select(m => m.Key)).Distinct().ToList();

    /// <summary>Header <c>epoch,train_loss,valid_loss,&lt;metrics…&gt;,seconds,lr</c>, one line per epoch; NaN is written as an empty cell.</summary>
    public string ToCsv()
    {
        var names = MetricNames;
        var sb = new StringBuilder();
        sb.Append("epoch,train_loss,valid_loss");
        foreach (var n in names) sb.Append(',').Append(Csv(n));
        sb.Append(",seconds,lr\n");
        foreach (var r in _records)
        {
            sb.Append(r.Epoch.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Num(r.TrainLoss)).Append(',').Append(Num(r.ValidLoss));
            foreach (var n in names)
            {
                var hit = r.Metrics.FirstOrDefault(m => m.Key == n);
                sb.Append(',').Append(hit.Key is null ? "" : Num(hit.Value));
            }
            sb.Append(',').Append(Num(r.Seconds)).Append(',').Append(Num(r.LearningRate)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary><c>{"epochs":[{"epoch":0,"train_loss":…,"valid_loss":…,"metrics":{…},"seconds":…,"lr":…}]}</c>; NaN/Inf become null (JSON has no NaN).</summary>
    public string ToJson(bool indented = true)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartObject();
            w.WriteStartArray("epochs");
            foreach (var r in _records)
            {
                w.WriteStartObject();
                w.WriteNumber("epoch", r.Epoch);
                Write(w, "train_loss", r.TrainLoss);
                Write(w, "valid_loss", r.ValidLoss);
                w.WriteStartObject("metrics");
                foreach (var (k, v) in r.Metrics) Write(w, k, v);
                w.WriteEndObject();
                Write(w, "seconds", r.Seconds);
                Write(w, "lr", r.LearningRate);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    public void SaveCsv(string path) => AtomicFile.WriteAllText(path, ToCsv());
    public void SaveJson(string path) => AtomicFile.WriteAllText(path, ToJson());

    /// <summary>Rebuilds a history from <see cref="ToJson"/> output (used by checkpoints).</summary>
    public static History FromJson(string json)
    {
        var h = new History();
        using var doc = JsonDocument.Parse(json);
        foreach (var e in doc.RootElement.GetProperty("epochs").EnumerateArray())
        {
            var metrics = e.GetProperty("metrics").EnumerateObject().Select(p => new KeyValuePair<string, double>(p.Name, Read(p.Value))).ToList();
            h.Add(new EpochRecord(e.GetProperty("epoch").GetInt32(), Read(e.GetProperty("train_loss")), Read(e.GetProperty("valid_loss")),
                metrics, Read(e.GetProperty("seconds")), Read(e.GetProperty("lr"))));
        }
        return h;
    }

    private static double Read(JsonElement e) => e.ValueKind == JsonValueKind.Null ? double.NaN : e.GetDouble();

    private static void Write(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v)) w.WriteNumber(name, v); else w.WriteNull(name);
    }

    private static string Num(double v) => double.IsNaN(v) ? "" : v.ToString("R", CultureInfo.InvariantCulture);

    private static string Csv(string s) => s.IndexOfAny(new[] { ',', '"', '\n' }) < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";
}
