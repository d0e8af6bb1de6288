using Adversarial;
using SkiaSharp;
using Xunit;

namespace ModelDsl.Samples.Tests;

/// <summary>
/// samples/Adversarial on 3,000 training digits for two epochs and 300 attacked test digits: FGSM and PGD fool the net, PGD at least
/// as much as FGSM at each ε, adversarial.png is a real figure, and a negative ε is refused with exit code 2 naming --epsilon.
/// </summary>
public sealed class AdversarialTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "modeldsl-adversarial-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private AdversarialSettings Tiny => AdversarialSettings.Default with
    {
        Epochs = 2, TrainLimit = 3000, Limit = 300, Epsilons = [0.1, 0.2], PgdSteps = 5, OutputDirectory = _dir,
    };

    [Fact]
    public void Attacks_lower_the_accuracy_PGD_at_least_as_much_as_FGSM_and_the_figure_is_written()
    {
        var console = new StringWriter();
        var result = AdversarialJob.Measure(Tiny, console);
        string output = console.ToString();

        Assert.Equal(300, result.TestDigits);
        Assert.True(result.CleanAccuracy > 0.85, $"clean {result.CleanAccuracy:P1}\n{output}");
        var strongest = result.Rows.Single(r => r.Epsilon == 0.2);
        Assert.True(strongest.FgsmAccuracy < result.CleanAccuracy - 0.3, $"FGSM ε = 0.2: {strongest.FgsmAccuracy:P1} against clean {result.CleanAccuracy:P1}\n{output}");
        foreach (var row in result.Rows)
        {
            Assert.True(row.FgsmAccuracy < result.CleanAccuracy, $"ε = {row.Epsilon}: FGSM {row.FgsmAccuracy:P1}, clean {result.CleanAccuracy:P1}");
            Assert.True(row.PgdAccuracy <= row.FgsmAccuracy, $"ε = {row.Epsilon}: PGD {row.PgdAccuracy:P1} above FGSM {row.FgsmAccuracy:P1}");
        }
        // The table prints the same numbers.
        Assert.Contains("epsilon  clean   FGSM    PGD", output);
        Assert.Contains(FormattableString.Invariant($"0.2      {result.CleanAccuracy:F4}  {strongest.FgsmAccuracy:F4}  {strongest.PgdAccuracy:F4}"), output);

        // adversarial.png: six rows of clean / perturbation / adversarial tiles (128 px), most of the digits shown fooled.
        Assert.Equal(Path.Combine(_dir, "adversarial.png"), result.FigurePath);
        using var png = SKBitmap.Decode(result.FigurePath) ?? throw new Xunit.Sdk.XunitException("adversarial.png does not decode");
        Assert.InRange(png.Width, 3 * 128, 1000);
        Assert.InRange(png.Height, 6 * 128, 2000);
        Assert.True(result.FooledInFigure >= 3, $"{result.FooledInFigure} of the digits shown fooled");
        Assert.True(png.Pixels.Distinct().Count() > 50, "the figure is nearly blank");
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void A_negative_or_NaN_epsilon_exits_2_naming_the_argument(double epsilon)
    {
        var console = new StringWriter();
        var errors = new StringWriter();
        int code = AdversarialJob.Run(Tiny with { Epsilons = [0.1, epsilon] }, console, errors);
        Assert.Equal(2, code);
        Assert.Contains("--epsilon", errors.ToString());
        Assert.Equal("", console.ToString()); // refused before any training
        Assert.False(Directory.Exists(_dir));
    }
}
