using FineTune;
using Xunit;

namespace ModelDsl.Samples.Tests;

/// <summary>
/// samples/FineTune as it runs (the bundled digits, the zoo's ShuffleNetV2, CPU): a backbone trained on digits 0–4 and
/// fine-tuned to digits 5–9 from 40 images per class beats the same net trained from scratch with the same budget.
/// </summary>
public class FineTuneTests
{
    [Fact]
    public void A_backbone_trained_on_digits_0_to_4_fine_tunes_to_5_to_9_better_than_the_same_net_from_scratch()
    {
        var console = new StringWriter();
        var result = FineTuneJob.Measure(new FineTuneSettings(), console);
        Assert.True(result.SourceAccuracy > 0.9, $"digits 0–4: {result.SourceAccuracy:P1}\n{console}");
        // Measured 87.0 % against 75.9 % (docs/ZOO.md); the margin asked here is half that.
        Assert.True(result.FineTunedAccuracy > result.ScratchAccuracy + 0.05,
            $"fine-tuned {result.FineTunedAccuracy:P1}, from scratch {result.ScratchAccuracy:P1}\n{console}");
        Assert.Contains("epoch", console.ToString());
    }
}
