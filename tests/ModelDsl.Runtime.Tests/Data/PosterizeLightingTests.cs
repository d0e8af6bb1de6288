using ModelDsl.Augmentation;
using ModelDsl.Runtime.Tests.Interop;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Data;

/// <summary>Posterize against torchvision's (of the uint8 image); AlexNet's PCA lighting: one colour shift per sample.</summary>
public class PosterizeLightingTests
{
    private const string Script = """
        import sys, torch
        import torchvision.transforms.functional as F
        out = sys.argv[1]
        x = torch.rand(2, 3, 5, 6, generator=torch.Generator().manual_seed(8))
        levels = (x * 255).floor().to(torch.uint8)
        torch.save({"x": x, "y": F.posterize(levels, 3).float() / 255}, f"{out}/reference.pt")
        print("ok")
        """;

    [Fact]
    public void Posterize_is_torchvisions_posterize_of_the_8_bit_image()
    {
        var saved = TorchvisionReference.Compute(Script);
        using var x = saved["x"];
        using var expected = saved["y"];
        using var posterize = new RandomPosterize(3, p: 1, seed: 1);
        using var y = posterize.Apply(x);
        Assert.True(y.allclose(expected, rtol: 0, atol: 1e-6));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomPosterize(9));
    }

    [Fact]
    public void Lighting_shifts_each_sample_by_one_colour_along_imagenets_principal_components()
    {
        using var x = rand(64, 3, 4, 5);
        using var lighting = new RandomLighting(0.1, seed: 2);
        using var y = lighting.Apply(x);
        using var shift = (y - x).flatten(2);                               // N×3×(H·W)
        // The same shift at every pixel of a sample …
        Assert.True((shift - shift[.., .., 0..1]).abs().max().item<float>() < 1e-6);
        // … along the eigenvectors: V⁻¹·shift = α⊙λ, so the components scale with λ (std ≈ 0.1·λ).
        using var v = tensor(RandomLighting.EigenVectors).view(3, 3);
        using var components = shift[.., .., 0].matmul(linalg.inv(v).t());  // N×3
        var std = components.std(0).data<float>().ToArray();
        Assert.True(std[0] > std[1] && std[1] > std[2], string.Join(", ", std));
        Assert.InRange(std[0], 0.01, 0.04);                                  // 0.1 · 0.2175 ≈ 0.022
        using var none = new RandomLighting(0, seed: 2);
        using (var same = none.Apply(x)) Assert.True(same.allclose(x));
    }
}

/// <summary>Salt-and-pepper noise: the share of pixels hit, whole pixels only, salt against pepper.</summary>
public class SaltAndPepperTests
{
    [Fact]
    public void About_the_amount_of_whole_pixels_turn_white_or_black_in_the_stated_share()
    {
        using var x = full(new long[] { 50, 3, 20, 20 }, 0.5f);
        using var noise = new RandomSaltAndPepper(amount: 0.1, saltVsPepper: 0.25, seed: 4);
        using var y = noise.Apply(x);
        using var changed = y.ne(0.5f);                                        // N×3×H×W
        // Whole pixels: a hit pixel changes in all its channels.
        Assert.True(changed.any(1).eq(changed.all(1)).all().item<bool>());
        double hit = changed.any(1).to_type(ScalarType.Float32).mean().item<float>();
        Assert.InRange(hit, 0.08, 0.12);
        double salt = y.eq(1f).any(1).to_type(ScalarType.Float32).sum().item<float>() / changed.any(1).sum().item<long>();
        Assert.InRange(salt, 0.2, 0.3);
        Assert.True(y.eq(0f).logical_or(y.eq(1f)).logical_or(y.eq(0.5f)).all().item<bool>());
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomSaltAndPepper(1.5));
    }
}
