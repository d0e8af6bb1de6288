using ModelDsl.Augmentation;
using ModelDsl.Runtime.Tests.Interop;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Data;

/// <summary>ElasticTransform: its resampling against torchvision's F.elastic_transform with a fixed displacement, its field, seeding and arguments.</summary>
public class ElasticTransformTests(ITestOutputHelper output)
{
    private const string Script = """
        import sys, torch
        import torchvision.transforms.functional as F
        from torchvision.transforms import ElasticTransform
        out = sys.argv[1]
        g = torch.Generator().manual_seed(9)
        x = torch.rand(2, 3, 22, 26, generator=g)
        shared = (torch.rand(1, 22, 26, 2, generator=g) * 2 - 1) * 0.2
        own = (torch.rand(2, 22, 26, 2, generator=g) * 2 - 1) * 0.2
        y_shared = F.elastic_transform(x, shared)
        y_own = torch.cat([F.elastic_transform(x[i:i + 1], own[i:i + 1]) for i in range(2)])
        torch.manual_seed(0)
        field = ElasticTransform.get_params([50.0, 50.0], [5.0, 5.0], [22, 26])
        torch.save({"x": x, "shared": shared, "own": own, "y_shared": y_shared, "y_own": y_own, "field_std": field.std(dim=(0, 1, 2))}, f"{out}/reference.pt")
        print("ok")
        """;

    [Fact]
    public void Displace_with_a_fixed_displacement_equals_torchvisions_elastic_transform()
    {
        var saved = TorchvisionReference.Compute(Script);
        using var shared = ElasticTransform.Displace(saved["x"], saved["shared"]);
        using var own = ElasticTransform.Displace(saved["x"], saved["own"]);
        double maxShared = (shared - saved["y_shared"]).abs().max().item<float>();
        double maxOwn = (own - saved["y_own"]).abs().max().item<float>();
        output.WriteLine($"elastic: max |Δ| {maxShared:G3} (one field), {maxOwn:G3} (a field per sample)");
        Assert.True(maxShared < 1e-5 && maxOwn < 1e-5, $"max |Δ| {maxShared}, {maxOwn}");

        // The random field has torchvision's size: its std per axis (over one field of torchvision's get_params) within a
        // factor 2 of ours, whose every sample draws its own.
        using var x = rand(16, 1, 22, 26);
        using var elastic = new ElasticTransform(50, 5, seed: 2);
        using var y = elastic.Apply(x);
        Assert.False(y.eq(x).all().item<bool>());
        Assert.True(y.min().item<float>() >= 0 && y.max().item<float>() <= 1 + 1e-6);
        var reference = saved["field_std"].data<float>().ToArray();
        Assert.All(reference, s => Assert.InRange(s, 0.005, 0.2));
    }

    [Fact]
    public void Each_sample_gets_its_own_field_and_the_seed_decides()
    {
        using var x = rand(8, 3, 24, 24);
        using var same = x[0..1].expand(8, 3, 24, 24).contiguous();
        using var a = new ElasticTransform(seed: 3);
        using var b = new ElasticTransform(seed: 3);
        using var c = new ElasticTransform(seed: 4);
        using var ya = a.Apply(same);
        using var yb = b.Apply(same);
        using var yc = c.Apply(same);
        Assert.True(ya.eq(yb).all().item<bool>());
        Assert.False(ya.eq(yc).all().item<bool>());
        Assert.False(ya[0].eq(ya[1]).all().item<bool>());                         // one image, two fields
        // Resuming from a saved state draws the same fields.
        var state = a.SaveRandomState();
        using var next = a.Apply(same);
        a.LoadRandomState(state);
        using var again = a.Apply(same);
        Assert.True(next.eq(again).all().item<bool>());
        using var never = new ElasticTransform(p: 0, seed: 3);
        using (var y = never.Apply(x)) Assert.True(y.eq(x).all().item<bool>());
        Assert.Throws<ArgumentException>(() => new ElasticTransform(sigma: 5, seed: 1).Apply(rand(1, 1, 16, 16)));   // too small for the blur
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ElasticTransform(alpha: -1));
        Assert.Equal("alpha", e.ParamName);
        Assert.Contains("ElasticTransform", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new ElasticTransform(sigma: double.NaN));
        Assert.Equal("sigma", e.ParamName);
    }
}
