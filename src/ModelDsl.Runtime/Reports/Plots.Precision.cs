using ModelDsl.Metrics;

namespace ModelDsl.Reports;

public static partial class Plots
{
    /// <summary>Precision–recall curves, one per class (e.g. those of a mean-average-precision metric), recall on x.</summary>
    public static string PrecisionRecall(IReadOnlyList<PrecisionRecallCurve> curves, string path, IReadOnlyList<string>? classNames = null,
                                         int width = 700, int height = 600)
    {
        ArgumentNullException.ThrowIfNull(curves);
        if (curves.Count == 0) throw new ArgumentException("Plots.PrecisionRecall: no curves.", nameof(curves));
        using var plt = new ScottPlot.Plot();
        foreach (var c in curves)
        {
            if (c.Recall.Length != c.Precision.Length)
                throw new ArgumentException($"Plots.PrecisionRecall: class {c.Class} has {c.Recall.Length} recall values but {c.Precision.Length} precision values.", nameof(curves));
            if (c.Recall.Length == 0) continue;
            var s = plt.Add.Scatter(c.Recall, c.Precision);
            s.MarkerSize = c.Recall.Length == 1 ? 6 : 0;
            s.LineWidth = 2;
            s.LegendText = classNames is not null && c.Class >= 0 && c.Class < classNames.Count ? classNames[c.Class] : $"class {c.Class}";
        }
        plt.Axes.SetLimits(-0.01, 1.01, -0.01, 1.01);
        plt.Title("Precision–recall");
        plt.XLabel("recall");
        plt.YLabel("precision");
        plt.ShowLegend(ScottPlot.Alignment.LowerLeft);
        return Save(plt, path, width, height);
    }
}
