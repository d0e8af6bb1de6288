using System.Globalization;

namespace ModelDsl.Reports;

public static partial class Plots
{
    /// <summary>
    /// Confusion-matrix heatmap: rows = actual class (top to bottom), columns = predicted class, each cell
    /// colored by its share of its row (recall) and labelled with its count.
    /// </summary>
    public static string ConfusionMatrix(long[,] matrix, IReadOnlyList<string>? classNames, string path, int? size = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int c = matrix.GetLength(0);
        if (c == 0 || matrix.GetLength(1) != c)
            throw new ArgumentException($"Plots.ConfusionMatrix: the matrix must be square and non-empty, got {matrix.GetLength(0)}×{matrix.GetLength(1)}.", nameof(matrix));
        var names = classNames?.ToArray() ?? Enumerable.Range(0, c).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (names.Length != c)
            throw new ArgumentException($"Plots.ConfusionMatrix: {c} classes but {names.Length} class names.", nameof(classNames));

        using var plt = new ScottPlot.Plot();
        var cmap = new ScottPlot.Colormaps.Blues();
        float fontSize = c <= 10 ? 14 : c <= 20 ? 10 : 7;
        for (int i = 0; i < c; i++)
        {
            long rowSum = 0;
            for (int j = 0; j < c; j++) rowSum += matrix[i, j];
            double y = c - 1 - i; // row 0 at the top
            for (int j = 0; j < c; j++)
            {
                double frac = rowSum == 0 ? 0 : (double)matrix[i, j] / rowSum;
                var rect = plt.Add.Rectangle(j - 0.5, j + 0.5, y - 0.5, y + 0.5);
                rect.FillStyle.Color = cmap.GetColor(1.0 - 0.9 * frac); // ScottPlot's Blues runs dark → light
                rect.LineStyle.Width = 0.5f;
                rect.LineStyle.Color = ScottPlot.Colors.White;
                var text = plt.Add.Text(matrix[i, j].ToString(CultureInfo.InvariantCulture), j, y);
                text.LabelFontSize = fontSize;
                text.LabelAlignment = ScottPlot.Alignment.MiddleCenter;
                text.LabelFontColor = frac > 0.5 ? ScottPlot.Colors.White : ScottPlot.Colors.Black;
            }
        }
        var pos = Enumerable.Range(0, c).Select(i => (double)i).ToArray();
        plt.Axes.Bottom.SetTicks(pos, names);
        plt.Axes.Left.SetTicks(pos, Enumerable.Reverse(names).ToArray());
        if (names.Any(n => n.Length > 3) && c > 4)
        {
            plt.Axes.Bottom.TickLabelStyle.Rotation = -45;
            plt.Axes.Bottom.TickLabelStyle.Alignment = ScottPlot.Alignment.MiddleRight;
        }
        plt.Axes.SetLimits(-0.5, c - 0.5, -0.5, c - 0.5);
        plt.HideGrid();
        plt.Title("Confusion matrix");
        plt.XLabel("predicted");
        plt.YLabel("actual");
        int px = size ?? Math.Clamp(200 + 50 * c, 500, 1600);
        return Save(plt, path, px, px);
    }
}
