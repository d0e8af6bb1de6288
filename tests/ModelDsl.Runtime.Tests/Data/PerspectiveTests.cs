using ModelDsl.Augmentation;
using ModelDsl.Runtime.Tests.Interop;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Data;

/// <summary>RandomPerspective: its warp against torchvision's F.perspective with fixed points per sample, its corner draws, seeding and arguments.</summary>
public class PerspectiveTests(ITestOutputHelper output)
{
    private const string Script = """
        import sys, torch
        import torchvision.transforms.functional as F
        out = sys.argv[1]
        x = torch.rand(3, 3, 20, 24, generator=torch.Generator().manual_seed(7))
        start = [[0, 0], [23, 0], [23, 19], [0, 19]]
        ends = [[[3, 2], [21, 0], [20, 17], [1, 18]], [[0, 5], [23, 1], [18, 19], [5, 14]], [[6, 4], [17, 3], [23, 19], [0, 19]]]
        y = torch.cat([F.perspective(x[i:i + 1], start, ends[i]) for i in range(3)])
        torch.save({"x": x, "y": y, "start": torch.tensor(start, dtype=torch.float), "ends": torch.tensor(ends, dtype=torch.float)}, f"{out}/reference.pt")
        print("ok")
        """;

    [Fact]
    public void Warp_with_fixed_points_per_sample_equals_torchvisions_perspective()
    {
        var saved = TorchvisionReference.Compute(Script);
        using var y = RandomPerspective.Warp(saved["x"], saved["start"], saved["ends"]);
        // Bilinear, so no edge rounding: only the coefficients differ (float64 solve here, float32 least squares there).
        double max = (y - saved["y"]).abs().max().item<float>();
        output.WriteLine($"perspective: max |Δ| {max:G3}");
        Assert.True(max <= 1 / 255.0, $"max |Δ| {max}");
        Assert.True(max < 1e-4, $"max |Δ| {max}");
    }

    [Fact]
    public void The_corners_move_inwards_within_the_distortion_and_the_seed_decides()
    {
        // A white image warped: what stays inside the moved corners is white, the rest black. With scale 0.5 on 40×40 each
        // corner moves at most 10 pixels per axis (corners at pixel centres, so an edge may run through row or column 10):
        // the centre inside stays white, and every sample darkens some of its border.
        using var x = ones(64, 1, 40, 40);
        using var a = new RandomPerspective(0.5, p: 1, seed: 5);
        using var b = new RandomPerspective(0.5, p: 1, seed: 5);
        using var c = new RandomPerspective(0.5, p: 1, seed: 6);
        using var ya = a.Apply(x);
        using var yb = b.Apply(x);
        using var yc = c.Apply(x);
        Assert.True(ya.eq(yb).all().item<bool>());
        Assert.False(ya.eq(yc).all().item<bool>());
        Assert.True(ya[.., .., 11..29, 11..29].gt(0.99f).all().item<bool>());
        Assert.True(ya.min().item<float>() >= 0 && ya.max().item<float>() <= 1 + 1e-6);
        Assert.True(ya.lt(0.99f).flatten(1).any(1).all().item<bool>());         // every sample darkens some border
        using var never = new RandomPerspective(0.5, p: 0, seed: 5);
        using (var y = never.Apply(x)) Assert.True(y.eq(x).all().item<bool>());
        using var half = new RandomPerspective(0.5, p: 0.5, seed: 7);
        using (var y = half.Apply(x)) Assert.InRange(y.lt(0.99f).flatten(1).any(1).sum().item<long>(), 20, 44);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new RandomPerspective(1.5));
        Assert.Equal("distortionScale", e.ParamName);
        Assert.Contains("RandomPerspective", e.Message);
    }
}
