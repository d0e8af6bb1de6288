namespace ModelDsl.Reports;

/// <summary>
/// PNG reports. Charts (loss curves, ROC, confusion-matrix heatmap) are drawn with ScottPlot 5; image
/// grids (sample batch, top losses, conv filters, feature maps) are composed with SkiaSharp. Every method
/// creates the output folder, writes <c>path</c> and returns it.
/// </summary>
public static partial class Plots
{
    /// <summary>Train and validation loss per epoch (NaN points are skipped).</summary>
    public static string LossCurves(IReadOnlyList<EpochLosses> history, string path, int width = 800, int height = 500)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0) throw new ArgumentException("Plots.LossCurves: the history is empty.", nameof(history));
        using var plt = new ScottPlot.Plot();
        AddSeries(plt, history.Select(h => ((double)h.Epoch, h.TrainLoss)), "train");
        AddSeries(plt, history.Select(h => ((double)h.Epoch, h.ValidLoss)), "valid");
        plt.Title("Loss");
        plt.XLabel("epoch");
        plt.YLabel("loss");
        plt.ShowLegend();
        return Save(plt, path, width, height);
    }

    /// <summary>Tuple form: (epoch, train loss, valid loss).</summary>
    public static string LossCurves(IReadOnlyList<(int Epoch, double Train, double Valid)> history, string path, int width = 800, int height = 500) =>
        LossCurves(history.Select(h => new EpochLosses(h.Epoch, h.Train, h.Valid)).ToArray(), path, width, height);

    private static void AddSeries(ScottPlot.Plot plt, IEnumerable<(double X, double Y)> points, string label)
    {
        var pts = points.Where(p => double.IsFinite(p.Y)).ToArray();
        if (pts.Length == 0) return;
        var s = plt.Add.Scatter(pts.Select(p => p.X).ToArray(), pts.Select(p => p.Y).ToArray());
        s.LegendText = label;
        s.LineWidth = 2;
        s.MarkerSize = pts.Length > 50 ? 0 : 5;
    }

    internal static string Save(ScottPlot.Plot plt, string path, int width, int height)
    {
        EnsureFolder(path);
        plt.SavePng(path, width, height);
        return path;
    }

    internal static void EnsureFolder(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
    }
}
