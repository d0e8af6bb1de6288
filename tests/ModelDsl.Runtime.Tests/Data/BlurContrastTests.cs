using ModelDsl.Augmentation;
using ModelDsl.Runtime.Tests.Interop;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Data;

/// <summary>GaussianBlur, Autocontrast, AdjustSharpness and CenterCrop against torchvision on fixed decisions (one σ, p = 1), and at p = 0 the identity.</summary>
public class BlurContrastTests
{
    private const string Script = """
        import sys, torch
        import torchvision.transforms.functional as F
        out = sys.argv[1]
        x = torch.rand(2, 3, 9, 11, generator=torch.Generator().manual_seed(2)) * 0.6 + 0.2
        x[1, 2] = 0.5   # a constant channel, which autocontrast leaves as it is
        ops = {"x": x, "blur": F.gaussian_blur(x, [5, 5], [1.3, 1.3]), "contrast": F.autocontrast(x),
               "sharp": F.adjust_sharpness(x, 1.7), "centre": F.center_crop(x, [4, 7]), "centre_padded": F.center_crop(x, [12, 10])}
        torch.save({k: v.contiguous().clone() for k, v in ops.items()}, f"{out}/reference.pt")  # crops are views: saved whole
        print("ok")
        """;

    [Fact]
    public void Blur_and_autocontrast_equal_torchvisions_and_p_0_is_the_identity()
    {
        var saved = TorchvisionReference.Compute(Script);
        using var x = saved["x"];
        using var blurExpected = saved["blur"];
        using var contrastExpected = saved["contrast"];
        using var blur = new RandomGaussianBlur(5, 1.3, 1.3, p: 1, seed: 1);
        using (var y = blur.Apply(x)) Assert.True(y.allclose(blurExpected, rtol: 0, atol: 1e-6), "blur");
        using var contrast = new RandomAutocontrast(p: 1, seed: 1);
        using (var y = contrast.Apply(x)) Assert.True(y.allclose(contrastExpected, rtol: 0, atol: 1e-6), "autocontrast");
        using var sharp = new RandomAdjustSharpness(1.7, p: 1, seed: 1);
        using (var y = sharp.Apply(x)) Assert.True(y.allclose(saved["sharp"], rtol: 0, atol: 1e-6), "sharpness");
        foreach (var (crop, key) in new[] { (new CenterCrop(4, 7), "centre"), (new CenterCrop(12, 10), "centre_padded") })
            using (var y = crop.Apply(x))
            {
                var expected = saved[key];
                Assert.True(y.shape.SequenceEqual(expected.shape) && y.eq(expected).all().item<bool>(), key);
            }
        var neither = new Compose(new RandomGaussianBlur(5, p: 0, seed: 2), new RandomAutocontrast(p: 0, seed: 3), new RandomAdjustSharpness(2, p: 0, seed: 4));
        using (var y = neither.Apply(x)) Assert.True(y.eq(x).all().item<bool>());
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomGaussianBlur(4));
    }
}
