using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Layers;

/// <summary>
/// ModelDsl's own modules for layers where TorchSharp's would be wrong or unsafe, against PyTorch's formulas (the
/// property and interop tests compare whole random nets with PyTorch itself).
/// </summary>
public class ActivationAndNormModuleTests
{
    [Fact]
    public void Hardtanh_clamps_where_TorchSharps_module_returns_its_input()
    {
        using var x = linspace(-3, 3, 13);
        using var ours = new HardtanhActivation(-0.5, 2);
        using var y = ours.call(x);
        Assert.True(y.eq(x.clamp(-0.5, 2)).all().item<bool>());
        // Why ModelDsl has its own: TorchSharp 0.107's nn.Hardtanh gives back the input unchanged.
        using var theirs = nn.Hardtanh(-0.5, 2);
        using var z = theirs.call(x);
        Assert.True(z.eq(x).all().item<bool>(), "TorchSharp's Hardtanh was fixed: HardtanhActivation may give way to it");
        Assert.Throws<ArgumentException>(() => new HardtanhActivation(1, 1));
    }

    [Fact]
    public void Softplus_is_PyTorchs_formula_with_finite_gradients_past_the_threshold()
    {
        using var x = tensor(new[] { -30f, -2f, -0.1f, 0f, 0.4f, 1.4f, 1.6f, 3f, 90f }).requires_grad_();
        using var softplus = new SoftplusActivation(beta: 2, threshold: 3);
        using var y = softplus.call(x);
        // PyTorch: x where β·x > threshold, else log(1 + exp(β·x)) / β.
        var expected = x.detach().data<float>().Select(v => 2 * v > 3 ? v : Math.Log(1 + Math.Exp(2.0 * v)) / 2).ToArray();
        var actual = y.data<float>().ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 5);
        y.sum().backward();
        var grad = x.grad!.data<float>().ToArray();
        Assert.All(grad, g => Assert.True(float.IsFinite(g)));
        Assert.Equal(1f, grad[^1]);                                   // linear region
        Assert.Equal(1 / (1 + Math.Exp(-2.0 * 0.4)), grad[4], 5);      // sigmoid(β·x) below the threshold
    }

    [Fact]
    public void Mish_equals_x_tanh_softplus()
    {
        using var x = linspace(-6, 25, 32);
        using var mish = new MishActivation();
        using var y = mish.call(x);
        using var expected = x * nn.functional.softplus(x).tanh();
        Assert.True(y.allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void LayerNorm2d_normalises_each_pixel_over_its_channels_with_torchvisions_keys()
    {
        using var ln = new LayerNorm2d(5, eps: 1e-6);
        Assert.Equal(new[] { "weight", "bias" }, ln.state_dict().Keys);
        using (no_grad())
        {
            ln.weight!.copy_(arange(1, 6, dtype: float32));
            ln.bias!.copy_(full(5, 0.5f));
        }
        using var x = randn(2, 5, 3, 4, generator: new Generator(1));
        using var y = ln.call(x);
        var mean = x.mean([1], keepdim: true);
        var variance = (x - mean).pow(2).mean([1], keepdim: true);
        using var expected = (x - mean) / (variance + 1e-6).sqrt() * arange(1, 6, dtype: float32).view(1, 5, 1, 1) + 0.5;
        Assert.True(y.allclose(expected, rtol: 1e-4, atol: 1e-5));
        Assert.Throws<ArgumentException>(() => ln.call(randn(2, 4, 3, 3)));
    }
}
