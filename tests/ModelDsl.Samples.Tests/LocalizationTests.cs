using Localization;
using SkiaSharp;
using Xunit;

namespace ModelDsl.Samples.Tests;

/// <summary>
/// samples/Localization on 2,000 training and 300 test canvases (two classifier epochs, one box epoch): the box head on the frozen
/// backbone localises far better than the constant (mean training) box, phase 2 leaves the backbone and the class head exactly as
/// they were, and localization.png decodes.
/// </summary>
public sealed class LocalizationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "modeldsl-localization-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private LocalizationSettings Tiny => new(TrainCanvases: 2000, TestCanvases: 300, ClassifierEpochs: 2, BoxEpochs: 1, OutputDirectory: _dir);

    [Fact]
    public void The_box_head_on_the_frozen_backbone_beats_the_constant_box_and_phase_2_leaves_the_backbone_unchanged()
    {
        var console = new StringWriter();
        var result = LocalizationJob.Measure(Tiny, console);
        string output = console.ToString();

        // IoU ≥ ½: the regressed boxes against the mean training box (about 0.14 of the canvases), reported in stdout.
        Assert.True(result.Model.IoUAtLeastHalf > result.ConstantBox.IoUAtLeastHalf + 0.4,
            $"IoU ≥ 0.5: model {result.Model.IoUAtLeastHalf:P1}, constant box {result.ConstantBox.IoUAtLeastHalf:P1}\n{output}");
        Assert.True(result.Model.MeanIoU > result.ConstantBox.MeanIoU + 0.2, $"mean IoU {result.Model.MeanIoU:F3} vs {result.ConstantBox.MeanIoU:F3}\n{output}");
        Assert.True(result.Model.LocalizationAccuracy > result.ConstantBox.LocalizationAccuracy + 0.1,
            $"localisation accuracy {result.Model.LocalizationAccuracy:P1} vs {result.ConstantBox.LocalizationAccuracy:P1}\n{output}");
        Assert.True(result.Model.ClassAccuracy > 0.2, $"class accuracy {result.Model.ClassAccuracy:P1}\n{output}");
        // The same digits for both: localisation accuracy never exceeds either of its parts.
        Assert.True(result.Model.LocalizationAccuracy <= Math.Min(result.Model.ClassAccuracy, result.Model.IoUAtLeastHalf));
        Assert.Contains(FormattableString.Invariant($"{result.Model.IoUAtLeastHalf:F4}"), output);
        Assert.Contains(FormattableString.Invariant($"{result.ConstantBox.IoUAtLeastHalf:F4}"), output);
        Assert.Contains("constant box (train mean)", output);

        // Phase 2: the backbone and the class head frozen to the bit; the box head trained.
        Assert.Equal(0.0, result.Phase2Change["Backbone"]);
        Assert.Equal(0.0, result.Phase2Change["Classes"]);
        Assert.True(result.Phase2Change["Box"] > 1e-3, $"box head moved by {result.Phase2Change["Box"]}");

        // localization.png: 12 canvases of 160 px (a 4×3 grid) with boxes drawn.
        Assert.Equal(Path.Combine(_dir, "localization.png"), result.FigurePath);
        using var png = SKBitmap.Decode(result.FigurePath) ?? throw new Xunit.Sdk.XunitException("localization.png does not decode");
        Assert.InRange(png.Width, 4 * 160, 1200);
        Assert.InRange(png.Height, 3 * 160, 1200);
        Assert.True(png.Pixels.Count(c => c.Green > 200 && c.Red < 60 && c.Blue < 60) > 200, "no green (true) boxes drawn");
    }

    [Fact]
    public void Bad_counts_exit_2_naming_the_option()
    {
        var errors = new StringWriter();
        Assert.Equal(2, LocalizationJob.Run(Tiny with { BoxEpochs = 0 }, TextWriter.Null, errors));
        Assert.Contains("--box-epochs", errors.ToString());
        Assert.False(Directory.Exists(_dir));
    }
}
