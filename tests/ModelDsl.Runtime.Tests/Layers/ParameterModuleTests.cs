using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Layers;

/// <summary>
/// ModelDsl's modules that own parameters (LayerNorm2d, LayerScale, PointwiseLinear, OutputPaddedConvTranspose2d): PyTorch's
/// numbers, and parameters that stay registered when <c>Module.to()</c> moves them (it replaces a moved parameter through its
/// property; a getter-only property made it throw, a setter that did not re-register left the optimizer the old tensor).
/// </summary>
public class ParameterModuleTests
{
    public static TheoryData<string> Modules => new() { "LayerNorm2d", "LayerScale", "PointwiseLinear", "OutputPaddedConvTranspose2d" };

    private static nn.Module<Tensor, Tensor> Create(string name) => name switch
    {
        "LayerNorm2d" => new LayerNorm2d(4, eps: 1e-6),
        "LayerScale" => new LayerScale(4, 0.5),
        "PointwiseLinear" => new PointwiseLinear(4, 6),
        _ => new OutputPaddedConvTranspose2d(4, 3, (3, 3), (2, 2), (1, 1), (1, 1), (1, 1)),
    };

    [Theory]
    [MemberData(nameof(Modules))]
    public void Moving_to_another_dtype_keeps_the_parameters_registered_and_the_forward_working(string name)
    {
        using var module = Create(name);
        var before = module.parameters().Select(p => p.numel()).ToList();
        module.to(ScalarType.Float64);
        var parameters = module.named_parameters().ToList();
        Assert.Equal(before, parameters.Select(p => p.parameter.numel()).ToList());
        Assert.All(parameters, p => Assert.Equal(ScalarType.Float64, p.parameter.dtype));
        // The property the forward reads is the registered parameter (what an optimizer updates).
        var weight = (Parameter)module.GetType().GetProperty("weight")!.GetValue(module)!;
        Assert.Same(weight, parameters.Single(p => p.name == "weight").parameter);
        using var y = module.call(randn(2, 4, 5, 5, dtype: ScalarType.Float64));
        Assert.Equal(ScalarType.Float64, y.dtype);
    }

    [Fact]
    public void PointwiseLinear_is_nn_Linear_on_each_pixels_channels_with_its_weight_shape()
    {
        using var layer = new PointwiseLinear(4, 6);
        Assert.Equal(new long[] { 6, 4 }, layer.weight!.shape);
        using var x = randn(2, 4, 3, 5);
        using var y = layer.call(x);
        Assert.Equal(new long[] { 2, 6, 3, 5 }, y.shape);
        // A 1×1 convolution with the same numbers.
        using var expected = nn.functional.conv2d(x, layer.weight!.reshape(6, 4, 1, 1), layer.bias);
        Assert.True(y.allclose(expected, rtol: 1e-5, atol: 1e-6));
        Assert.Throws<ArgumentException>(() => layer.call(randn(2, 5, 3, 3)));
    }

    [Fact]
    public void LayerScale_multiplies_each_channel_and_saves_its_parameter_under_its_own_key()
    {
        using var layer = new LayerScale(3, 0.25);
        using var x = randn(2, 3, 4, 4);
        using var y = layer.call(x);
        Assert.True(y.allclose(x * 0.25));
        // Alone its state_dict says "weight"; in a plain TorchSharp container "key.weight", once (a generated model or block
        // names it by the key itself, torchvision's "layer_scale": GraphBlockTests).
        Assert.Equal(new[] { "weight" }, layer.state_dict().Keys);
        using var holder = nn.Sequential(("layer_scale", (nn.Module<Tensor, Tensor>)new LayerScale(3)));
        Assert.Equal(new[] { "layer_scale.weight" }, holder.state_dict().Keys);
    }

    [Fact]
    public void GroupNorm_starts_as_PyTorchs_at_weight_one_and_bias_zero_and_normalises_each_group()
    {
        // TorchSharp 0.107's nn.GroupNorm leaves both uninitialised (the allocator's leftovers: 1e27, NaN), so the
        // generated code builds it through InitialisedGroupNorm. Dirty the allocator first, as a long run would have.
        for (int i = 0; i < 5; i++)
        {
            using (var junk = randn(4096).mul(1e30)) { }
            using var norm = InitialisedGroupNorm.Create(2, 4);
            Assert.True(norm.weight!.eq(1).all().item<bool>());
            Assert.True(norm.bias!.eq(0).all().item<bool>());
            using var x = randn(3, 4, 5, 6) * 7 + 3;
            using var y = norm.call(x);
            using var groups = y.reshape(3, 2, -1);
            Assert.True(groups.mean(new long[] { 2 }).abs().max().item<float>() < 1e-4);
            Assert.True((groups.var(2, unbiased: false) - 1).abs().max().item<float>() < 1e-3);
        }
        using var plain = InitialisedGroupNorm.Create(3, 6, eps: 1e-3, affine: false);
        Assert.Empty(plain.parameters());
    }
}
