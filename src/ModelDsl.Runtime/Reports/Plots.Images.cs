using System.Globalization;
using ModelDsl.Metrics;
using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Reports;

public static partial class Plots
{
    /// <summary>
    /// A grid of the first <paramref name="maxImages"/> images of a batch (N×C×H×W, C = 1 or 3) with their
    /// class names. Pass the normalization <paramref name="mean"/>/<paramref name="std"/> to undo it; otherwise
    /// images outside [0, 1] are min-max scaled per image.
    /// </summary>
    public static string SampleBatch(Tensor images, Tensor labels, IReadOnlyList<string>? classNames, string path,
        int maxImages = 16, int cellSize = 96, float[]? mean = null, float[]? std = null)
    {
        var (pix, c, h, w) = ImageGrid.ToUnitImages("Plots.SampleBatch", images, mean, std);
        var lab = LabelsOf("Plots.SampleBatch", labels, pix.Length);
        int n = Math.Min(maxImages, pix.Length);
        var tiles = new List<GridTile>();
        try
        {
            for (int i = 0; i < n; i++)
                tiles.Add(new GridTile(ImageGrid.ToBitmap(pix[i], c, h, w), ClassName(classNames, lab[i]), SKColors.Black));
            ImageGrid.Save(tiles, path, "Sample batch", cellSize);
        }
        finally { foreach (var t in tiles) t.Image.Dispose(); }
        return path;
    }

    /// <summary>
    /// fastai's plot_top_losses: the <paramref name="k"/> samples with the highest loss, captioned
    /// "predicted / actual" and the loss (red when the prediction is wrong).
    /// </summary>
    public static string TopLosses(Tensor images, Tensor labels, Tensor predicted, Tensor losses, IReadOnlyList<string>? classNames,
        string path, int k = 9, int cellSize = 112, float[]? mean = null, float[]? std = null)
    {
        ArgumentNullException.ThrowIfNull(losses);
        var (pix, c, h, w) = ImageGrid.ToUnitImages("Plots.TopLosses", images, mean, std);
        var lab = LabelsOf("Plots.TopLosses (labels)", labels, pix.Length);
        var pred = LabelsOf("Plots.TopLosses (predicted)", predicted, pix.Length);
        if (losses.numel() != pix.Length)
            throw new ArgumentException($"Plots.TopLosses: {pix.Length} images but {losses.numel()} losses (one per image expected).", nameof(losses));
        double[] loss;
        using (NewDisposeScope()) loss = MetricInputs.ToDoubles(losses.reshape(-1));
        var order = Enumerable.Range(0, loss.Length).OrderByDescending(i => loss[i]).Take(Math.Max(1, k)).ToArray();
        var tiles = new List<GridTile>();
        try
        {
            foreach (var i in order)
            {
                string cap = $"{ClassName(classNames, pred[i])} / {ClassName(classNames, lab[i])}";
                var color = pred[i] == lab[i] ? SKColors.Black : new SKColor(200, 30, 30);
                tiles.Add(new GridTile(ImageGrid.ToBitmap(pix[i], c, h, w), cap, color, "loss " + loss[i].ToString("F3", CultureInfo.InvariantCulture)));
            }
            ImageGrid.Save(tiles, path, "Top losses: predicted / actual", cellSize);
        }
        finally { foreach (var t in tiles) t.Image.Dispose(); }
        return path;
    }

    private static long[] LabelsOf(string who, Tensor labels, int n)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.numel() != n)
            throw new ArgumentException($"{who}: {n} images but {labels.numel()} labels (shape [{string.Join(", ", labels.shape)}]).");
        using var scope = NewDisposeScope();
        return MetricInputs.ToLongs(labels.reshape(-1));
    }

    private static string ClassName(IReadOnlyList<string>? names, long label) =>
        names is not null && label >= 0 && label < names.Count ? names[(int)label] : label.ToString(CultureInfo.InvariantCulture);
}
