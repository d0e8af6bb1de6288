using ModelDsl.Augmentation;
using ModelDsl.Runtime.Tests.Interop;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Data;

/// <summary>RandomSolarize against torchvision's solarize on fixed decisions (p = 1, p = 0), its seeding, and Lambda.</summary>
public class SolarizeTests
{
    private const string Script = """
        import sys, torch
        import torchvision.transforms.functional as F
        out = sys.argv[1]
        x = torch.rand(3, 3, 5, 6, generator=torch.Generator().manual_seed(4))
        torch.save({"x": x, "y": F.solarize(x, 0.6)}, f"{out}/reference.pt")
        print("ok")
        """;

    [Fact]
    public void Solarize_at_p_1_is_torchvisions_and_at_p_0_the_identity()
    {
        var saved = TorchvisionReference.Compute(Script);
        using var x = saved["x"];
        using var expected = saved["y"];
        using var always = new RandomSolarize(0.6, p: 1, seed: 1);
        using var y = always.Apply(x);
        Assert.True(y.allclose(expected, rtol: 0, atol: 1e-7));
        using var never = new RandomSolarize(0.6, p: 0, seed: 1);
        using var same = never.Apply(x);
        Assert.True(same.eq(x).all().item<bool>());
    }

    [Fact]
    public void Half_the_samples_are_solarized_and_the_same_seed_draws_the_same()
    {
        using var x = full(new long[] { 400, 1, 2, 2 }, 0.9f);
        using var a = new RandomSolarize(0.5, p: 0.5, seed: 3);
        using var b = new RandomSolarize(0.5, p: 0.5, seed: 3);
        using var ya = a.Apply(x);
        using var yb = b.Apply(x);
        Assert.True(ya.eq(yb).all().item<bool>());
        long solarized = ya.flatten(1)[.., 0].lt(0.5f).sum().item<long>();
        Assert.InRange(solarized, 150, 250);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomSolarize(1.5));
    }

    [Fact]
    public void Lambda_runs_the_users_function_as_a_compose_step()
    {
        using var x = ones(2, 1, 3, 3);
        var pipeline = new Compose(new Lambda(t => t * 2), new Lambda(t => t));
        using var y = pipeline.Apply(x);
        Assert.True(y.eq(2).all().item<bool>());
        Assert.False(ReferenceEquals(y, x));
    }
}
