using System.Globalization;
using ModelDsl.Data;
using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Reports;

public static partial class Plots
{
    /// <summary>Colour of the ground-truth boxes in <see cref="DetectionGrid"/>.</summary>
    public static readonly SKColor TruthBoxColor = new(0, 230, 0);

    /// <summary>Colour of class <paramref name="cls"/> in the dense reports: Pascal VOC's palette (class 0 black, 255 cream).</summary>
    public static SKColor ClassColor(int cls)
    {
        var pal = VocPalette.Value;
        int i = ((cls % 256) + 256) % 256;
        return new SKColor(pal[3 * i], pal[3 * i + 1], pal[3 * i + 2]);
    }

    /// <summary>Colour of predicted boxes of class <paramref name="cls"/>: the VOC colour of class + 1, so class 0 is not black.</summary>
    public static SKColor PredictedBoxColor(int cls) => ClassColor(cls + 1);

    private static readonly Lazy<byte[]> VocPalette = new(MaskPng.VocPalette);

    /// <summary>
    /// Per image, three tiles: the image, the true mask and the predicted mask, each mask overlaid on the
    /// image in the class colours (<see cref="ClassColor"/>, opacity <paramref name="alpha"/>). Pixels of
    /// <paramref name="backgroundClass"/> are left as the image (null: every class is coloured); the
    /// ignore index is drawn in its VOC colour. Masks are N×H×W class indices (a predicted N×K×H×W score
    /// tensor is reduced by argmax over K).
    /// </summary>
    public static string SegmentationGrid(Tensor images, Tensor trueMasks, Tensor predictedMasks, string path, IReadOnlyList<string>? classNames = null,
        int maxImages = 8, int cellSize = 128, double alpha = 0.55, int? backgroundClass = 0, float[]? mean = null, float[]? std = null)
    {
        var (pix, c, h, w) = ImageGrid.ToUnitImages("Plots.SegmentationGrid", images, mean, std);
        var truth = MasksOf("Plots.SegmentationGrid (true masks)", trueMasks, pix.Length, h, w);
        var pred = MasksOf("Plots.SegmentationGrid (predicted masks)", predictedMasks, pix.Length, h, w);
        int n = Math.Min(maxImages, pix.Length);
        var tiles = new List<GridTile>();
        try
        {
            for (int i = 0; i < n; i++)
            {
                tiles.Add(new GridTile(ImageGrid.ToBitmap(pix[i], c, h, w), $"image {i}", SKColors.Black));
                tiles.Add(new GridTile(Overlay(pix[i], c, h, w, truth[i], alpha, backgroundClass), "true", SKColors.Black, ClassesIn(truth[i], classNames, backgroundClass)));
                double acc = truth[i].Zip(pred[i]).Count(t => t.First == t.Second) / (double)truth[i].Length;
                tiles.Add(new GridTile(Overlay(pix[i], c, h, w, pred[i], alpha, backgroundClass),
                    "predicted " + acc.ToString("P0", CultureInfo.InvariantCulture), SKColors.Black, ClassesIn(pred[i], classNames, backgroundClass)));
            }
            ImageGrid.Save(tiles, path, "Segmentation: image / true / predicted", cellSize, columns: 3);
        }
        finally { foreach (var t in tiles) t.Image.Dispose(); }
        return path;
    }

    /// <summary>
    /// One tile per image with its true boxes (<see cref="TruthBoxColor"/>) and its predicted boxes in the
    /// class colour (<see cref="PredictedBoxColor"/>) labelled "class score"; boxes in the image's pixels.
    /// Predictions below <paramref name="minScore"/> are not drawn.
    /// </summary>
    public static string DetectionGrid(Tensor images, IReadOnlyList<IReadOnlyList<LabeledBox>> truth, IReadOnlyList<IReadOnlyList<ScoredBox>> predicted,
        string path, IReadOnlyList<string>? classNames = null, int maxImages = 16, int cellSize = 160, double minScore = 0, float[]? mean = null, float[]? std = null)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        var (pix, c, h, w) = ImageGrid.ToUnitImages("Plots.DetectionGrid", images, mean, std);
        if (truth.Count != pix.Length || predicted.Count != pix.Length)
            throw new ArgumentException($"Plots.DetectionGrid: {pix.Length} images but {truth.Count} true and {predicted.Count} predicted box lists (one per image).");
        int n = Math.Min(maxImages, pix.Length);
        var tiles = new List<GridTile>();
        try
        {
            for (int i = 0; i < n; i++)
            {
                var shown = predicted[i].Where(p => p.Score >= minScore).ToArray();
                tiles.Add(new GridTile(DrawBoxes(pix[i], c, h, w, cellSize, truth[i], shown, classNames), $"{truth[i].Count} true, {shown.Length} predicted", SKColors.Black));
            }
            ImageGrid.Save(tiles, path, "Detections: true in green", cellSize);
        }
        finally { foreach (var t in tiles) t.Image.Dispose(); }
        return path;
    }

    private static int[][] MasksOf(string who, Tensor masks, int n, int h, int w)
    {
        ArgumentNullException.ThrowIfNull(masks);
        using var scope = NewDisposeScope();
        var m = masks.detach();
        if (m.dim() == 4) m = m.argmax(1);
        if (m.dim() == 2) m = m.unsqueeze(0);
        if (m.dim() != 3 || m.shape[0] != n || m.shape[1] != h || m.shape[2] != w)
            throw new ArgumentException($"{who}: expected {n}×{h}×{w} class indices (or N×K×H×W scores) for images of {h}×{w}; got [{string.Join(", ", masks.shape)}].");
        if (m.is_floating_point()) throw new ArgumentException($"{who}: masks must be integer class indices, got {masks.dtype} (pass N×K×H×W scores to take the argmax).");
        var flat = m.to_type(ScalarType.Int32).cpu().contiguous().data<int>().ToArray();
        return Enumerable.Range(0, n).Select(i => flat.AsSpan(i * h * w, h * w).ToArray()).ToArray();
    }

    private static SKBitmap Overlay(float[] chw, int c, int h, int w, int[] mask, double alpha, int? background)
    {
        var bmp = ImageGrid.ToBitmap(chw, c, h, w);
        var px = bmp.Pixels;
        for (int k = 0; k < px.Length; k++)
        {
            if (background is int b && mask[k] == b) continue;
            var col = ClassColor(mask[k]);
            byte Mix(byte under, byte over) => (byte)Math.Round(under * (1 - alpha) + over * alpha);
            px[k] = new SKColor(Mix(px[k].Red, col.Red), Mix(px[k].Green, col.Green), Mix(px[k].Blue, col.Blue));
        }
        bmp.Pixels = px;
        return bmp;
    }

    private static string? ClassesIn(int[] mask, IReadOnlyList<string>? names, int? background)
    {
        var present = mask.Distinct().Where(v => background is not int b || v != b).Order().Select(v => ClassName(names, v)).ToArray();
        return present.Length == 0 ? null : string.Join(" ", present);
    }

    /// <summary>The image scaled (nearest) to fit <paramref name="cellSize"/>, boxes drawn at that scale with crisp (not antialiased) 2-px lines.</summary>
    private static SKBitmap DrawBoxes(float[] chw, int c, int h, int w, int cellSize, IReadOnlyList<LabeledBox> truth, IReadOnlyList<ScoredBox> predicted, IReadOnlyList<string>? names)
    {
        using var small = ImageGrid.ToBitmap(chw, c, h, w);
        float scale = Math.Min((float)cellSize / w, (float)cellSize / h);
        int bw = Math.Max(1, (int)Math.Round(w * scale)), bh = Math.Max(1, (int)Math.Round(h * scale));
        var bmp = new SKBitmap(new SKImageInfo(bw, bh, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bmp);
        using (var img = SKImage.FromBitmap(small))
            canvas.DrawImage(img, SKRect.Create(0, 0, bw, bh), new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None));
        using var stroke = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = 2, IsAntialias = false };
        SKRect Rect(LabeledBox b) => new((float)(b.X1 * scale), (float)(b.Y1 * scale), (float)(b.X2 * scale), (float)(b.Y2 * scale));
        stroke.Color = TruthBoxColor;
        foreach (var b in truth) canvas.DrawRect(Rect(b), stroke);
        using var font = new SKFont(SKTypeface.Default, Math.Clamp(cellSize / 12f, 8f, 12f));
        using var fill = new SKPaint { Style = SKPaintStyle.Fill, IsAntialias = false };
        using var text = new SKPaint { IsAntialias = true, Color = SKColors.White };
        foreach (var p in predicted)
        {
            var r = Rect(p.Box);
            var col = PredictedBoxColor(p.Box.Class);
            stroke.Color = col;
            canvas.DrawRect(r, stroke);
            string label = $"{ClassName(names, p.Box.Class)} {p.Score.ToString("0.00", CultureInfo.InvariantCulture)}";
            float tw = font.MeasureText(label), th = font.Size + 2;
            float ty = r.Top - th >= 0 ? r.Top - th : r.Bottom;   // above the box, or below it at the top edge
            fill.Color = col;
            canvas.DrawRect(SKRect.Create(r.Left - 1, ty, tw + 4, th), fill);
            canvas.DrawText(label, r.Left + 1, ty + th - 3, SKTextAlign.Left, font, text);
        }
        canvas.Flush();
        return bmp;
    }
}
