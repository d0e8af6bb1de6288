using ModelDsl.Reports;
using SkiaSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Reports;

/// <summary><see cref="Plots.AdversarialExamples"/>: clean / perturbation / adversarial rows, the perturbation on a diverging scale.</summary>
public sealed class AdversarialPlotsTests : IDisposable
{
    private static readonly string? KeepDir = Environment.GetEnvironmentVariable("MODELDSL_PLOT_DIR");
    private readonly string _dir = KeepDir ?? Path.Combine(Path.GetTempPath(), "modeldsl-adversarial-plots-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (KeepDir is null)
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string P(string name) => Path.Combine(_dir, "sub", name);

    private static SKBitmap ReadPng(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
        return SKBitmap.Decode(bytes) ?? throw new Xunit.Sdk.XunitException($"{path} does not decode");
    }

    /// <summary>Four 28×28 "digits", each pushed by ±0.1 everywhere; the model right on the clean ones and wrong on the pushed ones.</summary>
    private static (Tensor Clean, Tensor Adversarial, Tensor CleanLogits, Tensor AdversarialLogits, Tensor Labels) Batch()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var clean = rand(4, 1, 28, 28) * 0.8f + 0.1f;
        var adversarial = (clean + sign(randn(4, 1, 28, 28)) * 0.1f).clamp(0, 1);
        var labels = tensor(new long[] { 0, 1, 2, 3 });
        var cleanLogits = nn.functional.one_hot(labels, 10).to(ScalarType.Float32) * 6;
        var adversarialLogits = nn.functional.one_hot((labels + 5) % 10, 10).to(ScalarType.Float32) * 2;
        return (clean.MoveToOuterDisposeScope(), adversarial.MoveToOuterDisposeScope(), cleanLogits.MoveToOuterDisposeScope(),
            adversarialLogits.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }

    [Fact]
    public void One_row_per_image_clean_perturbation_adversarial_with_a_diverging_perturbation_and_wrong_predictions_in_red()
    {
        var (clean, adversarial, cleanLogits, adversarialLogits, labels) = Batch();
        using (clean) using (adversarial) using (cleanLogits) using (adversarialLogits) using (labels)
        {
            using var four = ReadPng(Plots.AdversarialExamples(clean, adversarial, cleanLogits, adversarialLogits, labels, P("four.png"), title: "FGSM, ε = 0.1", cellSize: 96));
            Assert.True(four.Width >= 3 * 96 && four.Height >= 4 * 96, $"{four.Width}×{four.Height}");
            // The perturbation tiles: δ = ±0.1 is the scale's ends, dark red and dark blue (4 tiles of 96² px).
            Assert.True(four.Pixels.Count(c => c.Red > c.Blue + 20 && c.Red > c.Green + 20) > 96 * 96, "too little red perturbation");
            Assert.True(four.Pixels.Count(c => c.Blue > c.Red + 20 && c.Blue > c.Green + 20) > 96 * 96, "too little blue perturbation");
            // The adversarial captions are red: the pushed digits are all misclassified.
            Assert.Contains(four.Pixels, c => c.Red > 150 && c.Green < 80 && c.Blue < 80);

            using var two = ReadPng(Plots.AdversarialExamples(clean, adversarial, cleanLogits, adversarialLogits, labels, P("two.png"), maxImages: 2, cellSize: 96));
            Assert.Equal(four.Width, two.Width);
            Assert.True(two.Height < four.Height - 2 * 96, $"2 rows {two.Height} px, 4 rows {four.Height} px");
        }
    }

    [Fact]
    public void Mismatched_shapes_and_logits_are_refused_with_the_shapes()
    {
        var (clean, adversarial, cleanLogits, adversarialLogits, labels) = Batch();
        using (clean) using (adversarial) using (cleanLogits) using (adversarialLogits) using (labels)
        using (var fewer = adversarial[0..2])
        using (var flat = cleanLogits.reshape(-1))
        {
            var e = Assert.Throws<ArgumentException>(() => Plots.AdversarialExamples(clean, fewer, cleanLogits, adversarialLogits, labels, P("bad.png")));
            Assert.Contains("[2, 1, 28, 28]", e.Message);
            e = Assert.Throws<ArgumentException>(() => Plots.AdversarialExamples(clean, adversarial, flat, adversarialLogits, labels, P("bad.png")));
            Assert.Contains("4×K logits", e.Message);
            Assert.False(File.Exists(P("bad.png")));
        }
    }
}
