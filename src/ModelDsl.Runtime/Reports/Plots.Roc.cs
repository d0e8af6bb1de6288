using System.Globalization;
using ModelDsl.Metrics;

namespace ModelDsl.Reports;

public static partial class Plots
{
    /// <summary>ROC curves (one per class for one-vs-rest) with their AUC in the legend and the chance diagonal.</summary>
    public static string Roc(IReadOnlyList<RocCurveResult> curves, string path, IReadOnlyList<string>? names = null, int width = 700, int height = 600)
    {
        ArgumentNullException.ThrowIfNull(curves);
        if (curves.Count == 0) throw new ArgumentException("Plots.Roc: no curves.", nameof(curves));
        if (names is not null && names.Count != curves.Count)
            throw new ArgumentException($"Plots.Roc: {curves.Count} curves but {names.Count} names.", nameof(names));
        using var plt = new ScottPlot.Plot();
        var chance = plt.Add.Line(0, 0, 1, 1);
        chance.LinePattern = ScottPlot.LinePattern.Dashed;
        chance.Color = ScottPlot.Colors.Gray;
        for (int i = 0; i < curves.Count; i++)
        {
            var c = curves[i];
            if (!c.IsDefined) continue;
            var s = plt.Add.Scatter(c.FalsePositiveRate, c.TruePositiveRate);
            s.MarkerSize = 0;
            s.LineWidth = 2;
            string name = names?[i] ?? (curves.Count == 1 ? "ROC" : $"class {i}");
            s.LegendText = $"{name} (AUC {c.Auc.ToString("F3", CultureInfo.InvariantCulture)})";
        }
        plt.Axes.SetLimits(-0.01, 1.01, -0.01, 1.01);
        plt.Title("ROC");
        plt.XLabel("false positive rate");
        plt.YLabel("true positive rate");
        plt.ShowLegend(ScottPlot.Alignment.LowerRight);
        return Save(plt, path, width, height);
    }

    /// <summary>Convenience: the curves of a streaming <see cref="RocCurve"/>.</summary>
    public static string Roc(RocCurve roc, string path, IReadOnlyList<string>? classNames = null, int width = 700, int height = 600) =>
        Roc(roc.Compute(), path, roc.Task == ClassificationTask.Binary ? null : classNames, width, height);
}
