using System.Globalization;
using ModelDsl.Metrics;
using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Reports;

public static partial class Plots
{
    /// <summary>
    /// The course's "fooling a network" figure: per image one row of three tiles — the clean image captioned with the model's
    /// prediction and confidence, the perturbation (adversarial − clean) on one diverging scale shared by all rows (blue
    /// negative, white 0, red positive, ±the largest |perturbation|, drawn as a labelled bar), and the adversarial image
    /// captioned with its prediction and confidence (red when it is not the true label). Images are N×C×H×W (C = 1 or 3);
    /// <paramref name="cleanLogits"/> and <paramref name="adversarialLogits"/> are the model's N×K outputs on each (softmax gives
    /// the confidence); <paramref name="labels"/> the N true classes. Each image tile is captioned "prediction (confidence)" and
    /// "clean, true c" or "adversarial, fooled" / "adversarial, not fooled". With <paramref name="mean"/>/<paramref name="std"/> the
    /// images are denormalised and the perturbation given in pixel units; an RGB perturbation is drawn as its channel mean.
    /// The first <paramref name="maxImages"/> images are drawn, in tiles of <paramref name="cellSize"/> pixels, under
    /// <paramref name="title"/> ("Adversarial examples" when null; e.g. "FGSM, ε = 0.2").
    /// </summary>
    public static string AdversarialExamples(Tensor clean, Tensor adversarial, Tensor cleanLogits, Tensor adversarialLogits, Tensor labels,
        string path, IReadOnlyList<string>? classNames = null, string? title = null, int maxImages = 6, int cellSize = 128, float[]? mean = null, float[]? std = null)
    {
        const string who = "Plots.AdversarialExamples";
        ArgumentNullException.ThrowIfNull(clean);
        ArgumentNullException.ThrowIfNull(adversarial);
        if (!clean.shape.SequenceEqual(adversarial.shape))
            throw new ArgumentException($"{who}: clean [{string.Join(", ", clean.shape)}] and adversarial [{string.Join(", ", adversarial.shape)}] images must have one shape.", nameof(adversarial));
        var (cleanPix, c, h, w) = ImageGrid.ToUnitImages(who, clean, mean, std);
        var (advPix, _, _, _) = ImageGrid.ToUnitImages(who, adversarial, mean, std);
        int n = cleanPix.Length;
        var truth = LabelsOf($"{who} (labels)", labels, n);
        var (cleanClass, cleanConfidence) = Confidences($"{who} (cleanLogits)", cleanLogits, n);
        var (advClass, advConfidence) = Confidences($"{who} (adversarialLogits)", adversarialLogits, n);
        int shown = Math.Min(Math.Max(1, maxImages), n);

        float[][] delta = new float[shown][];
        float bound;
        using (var scope = NewDisposeScope())
        {
            var d = (adversarial.detach().to(ScalarType.Float32).cpu() - clean.detach().to(ScalarType.Float32).cpu());
            if (d.dim() == 3) d = d.unsqueeze(0);
            if (std is not null) d = d * tensor(std).reshape(1, c, 1, 1);
            d = d[0..shown].mean(new long[] { 1 });                     // N×H×W: an RGB perturbation as its channel mean
            bound = Math.Max(d.abs().max().item<float>(), 1e-12f);
            for (int i = 0; i < shown; i++) delta[i] = d[i].contiguous().data<float>().ToArray();
        }

        var colormap = new ScottPlot.Colormaps.Balance();
        var wrong = new SKColor(200, 30, 30);
        var tiles = new List<GridTile>();
        try
        {
            for (int i = 0; i < shown; i++)
            {
                string Name(long k) => ClassName(classNames, k);
                string Pct(double p) => p.ToString("0%", CultureInfo.InvariantCulture);
                tiles.Add(new GridTile(ImageGrid.ToBitmap(cleanPix[i], c, h, w), $"{Name(cleanClass[i])} ({Pct(cleanConfidence[i])})",
                    cleanClass[i] == truth[i] ? SKColors.Black : wrong, $"clean, true {Name(truth[i])}"));
                float maxAbs = delta[i].Max(Math.Abs);
                tiles.Add(new GridTile(ImageGrid.ToBitmap(delta[i].Select(v => (v + bound) / (2 * bound)).ToArray(), h, w, colormap),
                    "perturbation δ", SKColors.Black, "max |δ| " + maxAbs.ToString("0.###", CultureInfo.InvariantCulture)));
                tiles.Add(new GridTile(ImageGrid.ToBitmap(advPix[i], c, h, w), $"{Name(advClass[i])} ({Pct(advConfidence[i])})",
                    advClass[i] == truth[i] ? SKColors.Black : wrong, advClass[i] == truth[i] ? "adversarial, not fooled" : "adversarial, fooled"));
            }
            ImageGrid.Save(tiles, path, title ?? "Adversarial examples", cellSize, columns: 3,
                scale: new ColorScale(colormap, -bound, bound, "δ"), subtitle: "prediction (confidence): clean / δ = adversarial − clean / adversarial; red = wrong");
        }
        finally { foreach (var t in tiles) t.Image.Dispose(); }
        return path;
    }

    /// <summary>Per row of N×K logits: the argmax class and its softmax probability.</summary>
    private static (long[] Classes, double[] Confidence) Confidences(string who, Tensor logits, int n)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.dim() != 2 || logits.shape[0] != n)
            throw new ArgumentException($"{who}: expected {n}×K logits (one row per image), got [{string.Join(", ", logits.shape)}].");
        using var scope = NewDisposeScope();
        var (top, index) = nn.functional.softmax(logits.detach().to(ScalarType.Float32).cpu(), 1).max(1);
        return (MetricInputs.ToLongs(index), MetricInputs.ToDoubles(top));
    }
}
