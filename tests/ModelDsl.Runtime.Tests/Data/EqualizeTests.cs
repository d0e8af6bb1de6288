using ModelDsl.Augmentation;
using ModelDsl.Runtime.Tests.Interop;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Data;

/// <summary>RandomEqualize against torchvision's equalize of the 8-bit image: RGB, gray, constant, two-level and narrow-range images.</summary>
public class EqualizeTests
{
    private const string Script = """
        import sys, torch
        import torchvision.transforms.functional as F
        out = sys.argv[1]
        g = torch.Generator().manual_seed(6)
        images = {
            "rgb": torch.rand(2, 3, 24, 20, generator=g),                                # 480 pixels: step ≥ 1
            "gray": torch.rand(3, 1, 24, 20, generator=g) ** 2,                          # skewed towards dark
            "narrow": 0.4 + 0.05 * torch.rand(2, 3, 32, 32, generator=g),                # a dozen levels, stretched
            "constant": torch.full((1, 3, 6, 6), 0.5),                                   # step 0: left as it is
            "two": torch.where(torch.rand(1, 1, 32, 32, generator=g) < 0.3, 0.2, 0.8),  # two levels, 300-odd below the top
            "small": torch.rand(2, 3, 5, 7, generator=g),                                # too few pixels: step 0
        }
        saved = {}
        for name, img in images.items():
            saved[name] = img
            saved[name + "|eq"] = F.equalize((img * 255).floor().to(torch.uint8)).float() / 255
        torch.save(saved, f"{out}/reference.pt")
        print("ok")
        """;

    [Fact]
    public void Equalize_gives_torchvisions_levels_for_rgb_gray_constant_and_two_level_images()
    {
        var saved = TorchvisionReference.Compute(Script);
        using var equalize = new RandomEqualize(p: 1, seed: 1);
        foreach (var name in new[] { "rgb", "gray", "narrow", "constant", "two", "small" })
        {
            using var scope = NewDisposeScope();
            var x = saved[name];
            var y = equalize.Apply(x);
            var expected = saved[name + "|eq"];
            // Where torchvision leaves a channel as it is (step 0) it returns the 8-bit level ⌊255·x⌋/255 and this
            // returns x itself: less than 1/255 apart. Elsewhere both are the same level.
            double max = (y - expected).abs().max().item<float>();
            Assert.True(max <= 1 / 255.0 + 1e-6, $"{name}: max |Δ| {max}");
        }
        // The equalized channels really change (the narrow image spreads over the range) and the constant one does not.
        using (var y = equalize.Apply(saved["narrow"])) Assert.True(y.max().item<float>() - y.min().item<float>() > 0.9);
        using (var y = equalize.Apply(saved["constant"])) Assert.True(y.eq(saved["constant"]).all().item<bool>());
    }

    [Fact]
    public void About_p_of_the_samples_are_equalized_and_the_seed_decides_which()
    {
        using var x = rand(200, 1, 32, 32).mul_(0.1);
        using var a = new RandomEqualize(p: 0.5, seed: 3);
        using var b = new RandomEqualize(p: 0.5, seed: 3);
        using var c = new RandomEqualize(p: 0.5, seed: 4);
        using var ya = a.Apply(x);
        using var yb = b.Apply(x);
        using var yc = c.Apply(x);
        Assert.True(ya.eq(yb).all().item<bool>());
        Assert.False(ya.eq(yc).all().item<bool>());
        long changed = ya.ne(x).flatten(1).any(1).sum().item<long>();
        Assert.InRange(changed, 70, 130);
        using var never = new RandomEqualize(p: 0, seed: 1);
        using (var y = never.Apply(x)) Assert.True(y.eq(x).all().item<bool>());
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new RandomEqualize(p: 1.5));
        Assert.Equal("p", e.ParamName);
    }
}
