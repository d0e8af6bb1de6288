using System.Globalization;
using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Reports;

public static partial class Plots
{
    /// <summary>
    /// A conv layer's filters (weight out×in×kh×kw), one captioned tile each, titled with the layer's name and shape. With
    /// in = 3 (and no <paramref name="inputChannel"/>) each filter is shown as RGB, min-max scaled on its own; otherwise the
    /// input channel <paramref name="inputChannel"/> or, when null, the mean over input channels, on one diverging colour
    /// scale shared by all filters (blue negative, white 0, red positive, ±the largest |weight|), drawn as a labelled bar.
    /// </summary>
    /// <param name="layerName">The layer's name for the title (e.g. "Conv1"); "Conv" when null.</param>
    public static string ConvFilters(Tensor weight, string path, int maxFilters = 64, int cellSize = 96, int? inputChannel = null, string? layerName = null)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.dim() != 4)
            throw new ArgumentException($"Plots.ConvFilters: expected a Conv2d weight out×in×kh×kw, got [{string.Join(", ", weight.shape)}].", nameof(weight));
        int o = (int)Math.Min(weight.shape[0], maxFilters), inC = (int)weight.shape[1], kh = (int)weight.shape[2], kw = (int)weight.shape[3];
        if (inputChannel is int ic && (ic < 0 || ic >= inC))
            throw new ArgumentException($"Plots.ConvFilters: inputChannel {ic} is outside [0, {inC - 1}].", nameof(inputChannel));
        bool rgb = inC == 3 && inputChannel is null;
        var tiles = new List<GridTile>();
        ColorScale? scale = null;
        try
        {
            using (var scope = NewDisposeScope())
            {
                var wt = weight.detach().to(ScalarType.Float32).cpu()[0..o];
                var sel = rgb ? wt : inputChannel is int ch ? wt[.., ch..(ch + 1)] : wt.mean(new long[] { 1 }, keepdim: true);
                float bound = rgb ? 0 : Math.Max(sel.abs().max().item<float>(), 1e-12f);
                var colormap = new ScottPlot.Colormaps.Balance();
                if (!rgb) scale = new ColorScale(colormap, -bound, bound, "weight");
                for (int i = 0; i < o; i++)
                {
                    var values = sel[i].contiguous().data<float>().ToArray();
                    var bitmap = rgb ? ImageGrid.ToBitmap(ImageGrid.MinMax(values), 3, kh, kw)
                        : ImageGrid.ToBitmap(values.Select(v => (v + bound) / (2 * bound)).ToArray(), kh, kw, colormap);
                    tiles.Add(new GridTile(bitmap, i.ToString(CultureInfo.InvariantCulture), SKColors.Black));
                }
            }
            string shown = o < weight.shape[0] ? $", the first {o}" : "";
            string what = rgb ? "each filter's RGB min-max scaled on its own" : inputChannel is int c ? $"input channel {c}" : "mean over the input channels";
            ImageGrid.Save(tiles, path, $"{layerName ?? "Conv"} filters: {weight.shape[0]}×{inC}×{kh}×{kw}", cellSize, scale: scale, subtitle: what + shown);
        }
        finally { foreach (var t in tiles) t.Image.Dispose(); }
        return path;
    }

    /// <summary>
    /// A layer's activations for one image (C×H×W, or 1×C×H×W), one tile per channel captioned with its index, titled with the
    /// layer's name and shape, on one Viridis scale shared by all channels (a dead channel shows dark, a strong one bright) with a
    /// labelled colour bar.
    /// </summary>
    /// <param name="layerName">The layer's name for the title (e.g. "Conv1"); "Layer" when null.</param>
    public static string FeatureMaps(Tensor activation, string path, int maxChannels = 64, int cellSize = 96, string? layerName = null)
    {
        ArgumentNullException.ThrowIfNull(activation);
        if (activation.dim() == 4 && activation.shape[0] == 1)
        {
            using var squeezed = activation.squeeze(0);
            return FeatureMaps(squeezed, path, maxChannels, cellSize, layerName);
        }
        if (activation.dim() != 3)
            throw new ArgumentException($"Plots.FeatureMaps: expected one image's activations C×H×W (or 1×C×H×W), got [{string.Join(", ", activation.shape)}].", nameof(activation));
        int c = (int)Math.Min(activation.shape[0], maxChannels), h = (int)activation.shape[1], w = (int)activation.shape[2];
        var cmap = new ScottPlot.Colormaps.Viridis();
        var tiles = new List<GridTile>();
        ColorScale scale;
        try
        {
            using (var scope = NewDisposeScope())
            {
                var a = activation.detach().to(ScalarType.Float32).cpu()[0..c];
                float lo = a.min().item<float>(), hi = a.max().item<float>();
                if (!(hi > lo)) hi = lo + 1; // a constant map: one colour, still a valid scale
                scale = new ColorScale(cmap, lo, hi, "activation");
                for (int i = 0; i < c; i++)
                {
                    var v = a[i].contiguous().data<float>().Select(x => (x - lo) / (hi - lo)).ToArray();
                    tiles.Add(new GridTile(ImageGrid.ToBitmap(v, h, w, cmap), i.ToString(CultureInfo.InvariantCulture), SKColors.Black));
                }
            }
            string shown = c < activation.shape[0] ? $"the first {c} channels, " : "";
            ImageGrid.Save(tiles, path, $"{layerName ?? "Layer"} feature maps: {activation.shape[0]}×{h}×{w}", cellSize, scale: scale, subtitle: shown + "one colour scale for all channels");
        }
        finally { foreach (var t in tiles) t.Image.Dispose(); }
        return path;
    }
}
