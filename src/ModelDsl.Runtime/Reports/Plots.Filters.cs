using System.Globalization;
using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Reports;

public static partial class Plots
{
    /// <summary>
    /// A conv layer's filters (weight out×in×kh×kw), each min-max scaled on its own: RGB when in = 3,
    /// otherwise the input channel <paramref name="inputChannel"/> or, when null, the mean over input channels (gray).
    /// </summary>
    public static string ConvFilters(Tensor weight, string path, int maxFilters = 64, int cellSize = 48, int? inputChannel = null)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.dim() != 4)
            throw new ArgumentException($"Plots.ConvFilters: expected a Conv2d weight out×in×kh×kw, got [{string.Join(", ", weight.shape)}].", nameof(weight));
        int o = (int)Math.Min(weight.shape[0], maxFilters), inC = (int)weight.shape[1], kh = (int)weight.shape[2], kw = (int)weight.shape[3];
        if (inputChannel is int ic && (ic < 0 || ic >= inC))
            throw new ArgumentException($"Plots.ConvFilters: inputChannel {ic} is outside [0, {inC - 1}].", nameof(inputChannel));
        var tiles = new List<GridTile>();
        try
        {
            using (var scope = NewDisposeScope())
            {
                var wt = weight.detach().to(ScalarType.Float32).cpu()[0..o];
                bool rgb = inC == 3 && inputChannel is null;
                var sel = rgb ? wt : inputChannel is int ch ? wt[.., ch..(ch + 1)] : wt.mean(new long[] { 1 }, keepdim: true);
                for (int i = 0; i < o; i++)
                {
                    var v = ImageGrid.MinMax(sel[i].contiguous().data<float>().ToArray());
                    tiles.Add(new GridTile(ImageGrid.ToBitmap(v, rgb ? 3 : 1, kh, kw), null, SKColors.Black));
                }
            }
            ImageGrid.Save(tiles, path, $"Conv filters ({weight.shape[0]}×{inC}×{kh}×{kw})", cellSize);
        }
        finally { foreach (var t in tiles) t.Image.Dispose(); }
        return path;
    }

    /// <summary>
    /// A layer's activations for one image (C×H×W, or 1×C×H×W), one Viridis-colored tile per channel, each
    /// min-max scaled on its own and captioned with its channel index.
    /// </summary>
    public static string FeatureMaps(Tensor activation, string path, int maxChannels = 64, int cellSize = 80)
    {
        ArgumentNullException.ThrowIfNull(activation);
        if (activation.dim() == 4 && activation.shape[0] == 1)
        {
            using var squeezed = activation.squeeze(0);
            return FeatureMaps(squeezed, path, maxChannels, cellSize);
        }
        if (activation.dim() != 3)
            throw new ArgumentException($"Plots.FeatureMaps: expected one image's activations C×H×W (or 1×C×H×W), got [{string.Join(", ", activation.shape)}].", nameof(activation));
        int c = (int)Math.Min(activation.shape[0], maxChannels), h = (int)activation.shape[1], w = (int)activation.shape[2];
        var cmap = new ScottPlot.Colormaps.Viridis();
        var tiles = new List<GridTile>();
        try
        {
            using (var scope = NewDisposeScope())
            {
                var a = activation.detach().to(ScalarType.Float32).cpu();
                for (int i = 0; i < c; i++)
                {
                    var v = ImageGrid.MinMax(a[i].contiguous().data<float>().ToArray());
                    tiles.Add(new GridTile(ImageGrid.ToBitmap(v, h, w, cmap), i.ToString(CultureInfo.InvariantCulture), SKColors.Black));
                }
            }
            ImageGrid.Save(tiles, path, $"Feature maps ({activation.shape[0]}×{h}×{w})", cellSize);
        }
        finally { foreach (var t in tiles) t.Image.Dispose(); }
        return path;
    }
}
