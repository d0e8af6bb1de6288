using ModelDsl.Augmentation;
using ModelDsl.Runtime.Tests.Interop;
using TorchSharp.PyBridge;
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
        torch.save({"x": x, "y": F.posterize(levels, 3).float() / 255}, f"{out}/posterize.pt")
        print("ok")
        """;

    [Fact]
    public void Posterize_is_torchvisions_posterize_of_the_8_bit_image()
    {
        string folder = Directory.CreateTempSubdirectory("modeldsl-posterize-").FullName;
        try
        {
            SystemPython.Run(Script, folder, [folder], [SystemPython.Torch, SystemPython.TorchVision]);
            var saved = PyTorchUnpickler.UnpickleStateDict(Path.Combine(folder, "posterize.pt"));
            using var x = (Tensor)saved["x"]!;
            using var expected = (Tensor)saved["y"]!;
            using var posterize = new RandomPosterize(3, p: 1, seed: 1);
            using var y = posterize.Apply(x);
            Assert.True(y.allclose(expected, rtol: 0, atol: 1e-6));
            Assert.Throws<ArgumentOutOfRangeException>(() => new RandomPosterize(9));
        }
        finally { Directory.Delete(folder, recursive: true); }
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
