using System.Globalization;
using System.Text;

namespace ModelDsl.Training;

/// <summary>
/// Formats the fastai-style epoch table: <c>epoch  train_loss  valid_loss  &lt;metrics…&gt;  time</c>.
/// Rows are printed one at a time as epochs finish, so column widths are fixed up front from the
/// header names (at least 8, the width of <c>0.123456</c>) instead of from the data.
/// </summary>
internal sealed class EpochTable
{
    private readonly string[] _headers;
    private readonly int[] _widths;
    private readonly IReadOnlyList<string> _metrics;

    public EpochTable(IReadOnlyList<string> metricNames)
    {
        _metrics = metricNames;
        _headers = new[] { "epoch", "train_loss", "valid_loss" }.Concat(metricNames).Append("time").ToArray();
        _widths = _headers.Select((h, i) => i == 0 ? Math.Max(h.Length, 5) : i == _headers.Length - 1 ? Math.Max(h.Length, 5) : Math.Max(h.Length, 8)).ToArray();
    }

    public string Header => Line(_headers);

    public string Row(EpochRecord r)
    {
        var cells = new List<string> { r.Epoch.ToString(CultureInfo.InvariantCulture), Num(r.TrainLoss), Num(r.ValidLoss) };
        foreach (var m in _metrics)
        {
            var hit = r.Metrics.FirstOrDefault(x => x.Key == m);
            cells.Add(hit.Key is null ? "-" : Num(hit.Value));
        }
        cells.Add(Time(r.Seconds));
        return Line(cells);
    }

    /// <summary>mm:ss like fastai; hours are added only when needed.</summary>
    public static string Time(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}" : $"{t.Minutes:00}:{t.Seconds:00}";
    }

    private static string Num(double v) => double.IsNaN(v) ? "-" : v.ToString("0.000000", CultureInfo.InvariantCulture);

    private string Line(IReadOnlyList<string> cells)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < cells.Count; i++)
        {
            if (i > 0) sb.Append("  ");
            sb.Append(cells[i].PadRight(_widths[i]));
        }
        return sb.ToString().TrimEnd();
    }
}
