using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Reports;

/// <summary>One cell of an <see cref="ImageGrid"/>: an image and up to two caption lines.</summary>
internal sealed record GridTile(SKBitmap Image, string? Caption, SKColor CaptionColor, string? Caption2 = null);

/// <summary>The value scale every tile of a grid shares: a vertical bar of the colormap right of the tiles, labelled from <paramref name="Low"/> to <paramref name="High"/>.</summary>
internal sealed record ColorScale(ScottPlot.IColormap Colormap, double Low, double High, string? Label = null);

/// <summary>
/// Composes tiles into one PNG with SkiaSharp: nearest-neighbour upscaling (small images stay crisp),
/// captions under each tile, an optional title. Also converts tensors to bitmaps.
/// </summary>
internal static class ImageGrid
{
    internal static void Save(IReadOnlyList<GridTile> tiles, string path, string? title, int cellSize, int? columns = null, ColorScale? scale = null, string? subtitle = null)
    {
        if (tiles.Count == 0) throw new ArgumentException("nothing to draw.");
        int cols = columns ?? (int)Math.Ceiling(Math.Sqrt(tiles.Count));
        int rows = (tiles.Count + cols - 1) / cols;
        bool captions = tiles.Any(t => t.Caption is not null);
        bool twoLines = tiles.Any(t => t.Caption2 is not null);
        float fontSize = Math.Clamp(cellSize / 8f, 9f, 14f);
        int captionH = captions ? (int)Math.Ceiling(fontSize * (twoLines ? 2.6f : 1.5f)) : 0;
        int pad = 6, titleH = title is null ? 0 : (int)(fontSize * (subtitle is null ? 2.2f : 3.6f));
        int cellW = cellSize + pad, cellH = cellSize + captionH + pad;
        // The colour bar: a strip as tall as the grid (at least 120 px) and its labels, right of the tiles.
        int barW = scale is null ? 0 : 18, labelsW = scale is null ? 0 : (int)(fontSize * 6);
        int gridH = rows * cellH + pad;
        int width = cols * cellW + pad + (scale is null ? 0 : barW + labelsW + 2 * pad), height = titleH + Math.Max(gridH, scale is null ? 0 : 120 + 2 * pad);

        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException("SkiaSharp could not create a surface (is libSkiaSharp present?).");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, fontSize);
        using var textPaint = new SKPaint { IsAntialias = true, Color = SKColors.Black };
        if (title is not null)
            canvas.DrawText(title, width / 2f, fontSize * 1.5f, SKTextAlign.Center, font, textPaint);
        if (subtitle is not null)
        {
            textPaint.Color = new SKColor(90, 90, 90);
            canvas.DrawText(Fit(subtitle, font, width - 2 * pad), width / 2f, fontSize * 2.9f, SKTextAlign.Center, font, textPaint);
            textPaint.Color = SKColors.Black;
        }
        if (scale is not null) DrawColorScale(canvas, scale, cols * cellW + 2 * pad, titleH + pad, barW, Math.Max(gridH, 120 + 2 * pad) - 2 * pad, font, textPaint);

        using var border = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = 1, Color = new SKColor(210, 210, 210) };
        var sampling = new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None);
        for (int i = 0; i < tiles.Count; i++)
        {
            var t = tiles[i];
            float x = pad + (i % cols) * cellW, y = titleH + pad + (i / cols) * cellH;
            float zoom = Math.Min((float)cellSize / t.Image.Width, (float)cellSize / t.Image.Height);
            float w = t.Image.Width * zoom, h = t.Image.Height * zoom;
            var dest = SKRect.Create(x + (cellSize - w) / 2, y + (cellSize - h) / 2, w, h);
            using (var img = SKImage.FromBitmap(t.Image))
                canvas.DrawImage(img, dest, sampling);
            canvas.DrawRect(dest, border); // shows the tile's extent even for blank images
            float cx = x + cellSize / 2f;
            if (t.Caption is not null)
            {
                textPaint.Color = t.CaptionColor;
                canvas.DrawText(Fit(t.Caption, font, cellSize), cx, y + cellSize + fontSize * 1.15f, SKTextAlign.Center, font, textPaint);
            }
            if (t.Caption2 is not null)
            {
                textPaint.Color = t.CaptionColor;
                canvas.DrawText(Fit(t.Caption2, font, cellSize), cx, y + cellSize + fontSize * 2.3f, SKTextAlign.Center, font, textPaint);
            }
        }
        Plots.EnsureFolder(path);
        using var snapshot = surface.Snapshot();
        using var data = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        using var fs = File.Create(path);
        data.SaveTo(fs);
    }

    /// <summary>The colormap from <see cref="ColorScale.High"/> (top) to <see cref="ColorScale.Low"/> (bottom), with both ends and the middle labelled.</summary>
    private static void DrawColorScale(SKCanvas canvas, ColorScale scale, float x, float y, int width, int height, SKFont font, SKPaint text)
    {
        using var paint = new SKPaint { Style = SKPaintStyle.Fill };
        for (int row = 0; row < height; row++)
        {
            var c = scale.Colormap.GetColor(1.0 - row / (double)Math.Max(1, height - 1));
            paint.Color = new SKColor(c.R, c.G, c.B);
            canvas.DrawRect(x, y + row, width, 1, paint);
        }
        using var border = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = 1, Color = new SKColor(120, 120, 120) };
        canvas.DrawRect(x, y, width, height, border);
        string Label(double v) => Math.Abs(v) >= 1000 || (v != 0 && Math.Abs(v) < 0.01) ? v.ToString("0.##e0", System.Globalization.CultureInfo.InvariantCulture) : v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        float tx = x + width + 4;
        text.Color = SKColors.Black;
        canvas.DrawText(Label(scale.High), tx, y + font.Size * 0.8f, SKTextAlign.Left, font, text);
        canvas.DrawText(Label((scale.Low + scale.High) / 2), tx, y + height / 2f + font.Size * 0.35f, SKTextAlign.Left, font, text);
        canvas.DrawText(Label(scale.Low), tx, y + height, SKTextAlign.Left, font, text);
        if (scale.Label is not null) canvas.DrawText(scale.Label, x, y - font.Size * 0.5f, SKTextAlign.Left, font, text); // what the colours measure, above the bar
    }

    private static string Fit(string s, SKFont font, float width)
    {
        if (font.MeasureText(s) <= width) return s;
        while (s.Length > 1 && font.MeasureText(s + "…") > width) s = s[..^1];
        return s + "…";
    }

    /// <summary>
    /// N×C×H×W (or C×H×W) float images → N host arrays in [0, 1]: denormalized with mean/std when given,
    /// otherwise left as they are when already in [0, 1], else min-max scaled per image.
    /// </summary>
    internal static (float[][] Pixels, int C, int H, int W) ToUnitImages(string who, Tensor images, float[]? mean, float[]? std)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var scope = NewDisposeScope();
        if (images.dim() == 3) images = images.unsqueeze(0);
        if (images.dim() != 4)
            throw new ArgumentException($"{who}: images must be N×C×H×W (or C×H×W), got [{string.Join(", ", images.shape)}].");
        int n = (int)images.shape[0], c = (int)images.shape[1], h = (int)images.shape[2], w = (int)images.shape[3];
        if (c is not (1 or 3))
            throw new ArgumentException($"{who}: images need 1 (gray) or 3 (RGB) channels, got {c} (shape [{string.Join(", ", images.shape)}]).");
        var x = images.detach().to(ScalarType.Float32).cpu();
        if (mean is not null && std is not null)
        {
            if (mean.Length != c || std.Length != c)
                throw new ArgumentException($"{who}: mean/std need {c} values (one per channel).");
            x = x * tensor(std).reshape(1, c, 1, 1) + tensor(mean).reshape(1, c, 1, 1);
        }
        var result = new float[n][];
        for (int i = 0; i < n; i++)
        {
            var img = x[i];
            float lo = img.min().item<float>(), hi = img.max().item<float>();
            if (lo < 0 || hi > 1)
                img = hi > lo ? (img - lo) / (hi - lo) : zeros_like(img);
            result[i] = img.clamp(0, 1).contiguous().data<float>().ToArray();
        }
        return (result, c, h, w);
    }

    /// <summary>CHW floats in [0, 1] → bitmap (gray for C = 1, RGB for C = 3).</summary>
    internal static SKBitmap ToBitmap(float[] chw, int c, int h, int w)
    {
        var bmp = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var px = new SKColor[w * h];
        int plane = h * w;
        for (int k = 0; k < plane; k++)
        {
            byte r = To8(chw[k]);
            byte g = c == 3 ? To8(chw[plane + k]) : r;
            byte b = c == 3 ? To8(chw[2 * plane + k]) : r;
            px[k] = new SKColor(r, g, b);
        }
        bmp.Pixels = px;
        return bmp;
    }

    /// <summary>One channel in [0, 1] → bitmap through a ScottPlot colormap (e.g. Viridis) or gray.</summary>
    internal static SKBitmap ToBitmap(float[] hw, int h, int w, ScottPlot.IColormap? colormap)
    {
        var bmp = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var px = new SKColor[w * h];
        for (int k = 0; k < px.Length; k++)
        {
            if (colormap is null) { byte v = To8(hw[k]); px[k] = new SKColor(v, v, v); }
            else { var col = colormap.GetColor(hw[k]); px[k] = new SKColor(col.R, col.G, col.B); }
        }
        bmp.Pixels = px;
        return bmp;
    }

    /// <summary>Min-max scale to [0, 1] (constant input → 0.5).</summary>
    internal static float[] MinMax(float[] v)
    {
        float lo = v.Min(), hi = v.Max();
        return hi > lo ? v.Select(x => (x - lo) / (hi - lo)).ToArray() : v.Select(_ => 0.5f).ToArray();
    }

    private static byte To8(float v) => (byte)Math.Clamp((int)MathF.Round(v * 255f), 0, 255);
}
