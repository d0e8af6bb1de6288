using System.Globalization;

namespace ModelDsl.Reports;

public static partial class Plots
{
    /// <summary>
    /// LR-finder plot: loss against learning rate on a log scale (decade ticks 1e-5, 1e-4, …), with an
    /// optional marker at the suggested learning rate. Non-finite losses and non-positive rates are skipped.
    /// </summary>
    public static string LrFinder(IReadOnlyList<double> learningRates, IReadOnlyList<double> losses, string path,
        double? suggested = null, int width = 800, int height = 500)
    {
        ArgumentNullException.ThrowIfNull(learningRates);
        ArgumentNullException.ThrowIfNull(losses);
        if (learningRates.Count != losses.Count)
            throw new ArgumentException($"Plots.LrFinder: {learningRates.Count} learning rates but {losses.Count} losses.", nameof(losses));
        var pts = learningRates.Zip(losses).Where(p => p.First > 0 && double.IsFinite(p.First) && double.IsFinite(p.Second)).ToArray();
        if (pts.Length == 0) throw new ArgumentException("Plots.LrFinder: no finite (learning rate > 0, loss) points.", nameof(losses));
        using var plt = new ScottPlot.Plot();
        var xs = pts.Select(p => Math.Log10(p.First)).ToArray();
        var s = plt.Add.Scatter(xs, pts.Select(p => p.Second).ToArray());
        s.MarkerSize = 0;
        s.LineWidth = 2;
        if (suggested is double lr && lr > 0)
        {
            var v = plt.Add.VerticalLine(Math.Log10(lr));
            v.LinePattern = ScottPlot.LinePattern.Dashed;
            v.Color = ScottPlot.Colors.Red;
            v.LegendText = "suggested " + lr.ToString("0.###e+0", CultureInfo.InvariantCulture);
            plt.ShowLegend();
        }
        int lo = (int)Math.Floor(xs.Min()), hi = (int)Math.Ceiling(xs.Max());
        if (hi == lo) hi = lo + 1;
        var decades = Enumerable.Range(lo, hi - lo + 1).ToArray();
        plt.Axes.Bottom.SetTicks(decades.Select(d => (double)d).ToArray(), decades.Select(d => $"1e{d}").ToArray());
        plt.Axes.SetLimitsX(lo, hi);
        plt.Title("LR finder");
        plt.XLabel("learning rate (log scale)");
        plt.YLabel("loss");
        return Save(plt, path, width, height);
    }
}
