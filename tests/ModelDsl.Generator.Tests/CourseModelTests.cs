using ModelDsl.Samples;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// The course's models, generated at build time by the analyzer: their compile-time metadata must
/// equal what TorchSharp reports for the module that the generated constructor builds, and equal
/// the parameter counts PyTorch prints for the same nets.
/// </summary>
public class CourseModelTests
{
    public static TheoryData<string, long> PyTorchCounts => new()
    {
        { nameof(SevenClassNet), 134_087 },
        { nameof(MnistNet), 7_331 },
        { nameof(CifarCnn), 5_852_170 },
        { nameof(LeNet5), 44_426 },
        { nameof(AlexNet), 61_100_840 },
        { nameof(Monster), 621_002 },
    };

    private static (nn.Module<Tensor, Tensor> Module, long Count, Shape Input, Shape Output) Create(string name) => name switch
    {
        nameof(SevenClassNet) => (new SevenClassNet(), SevenClassNet.ParameterCount, SevenClassNet.InputShape, SevenClassNet.OutputShape),
        nameof(MnistNet) => (new MnistNet(), MnistNet.ParameterCount, MnistNet.InputShape, MnistNet.OutputShape),
        nameof(CifarCnn) => (new CifarCnn(), CifarCnn.ParameterCount, CifarCnn.InputShape, CifarCnn.OutputShape),
        nameof(LeNet5) => (new LeNet5(), LeNet5.ParameterCount, LeNet5.InputShape, LeNet5.OutputShape),
        nameof(AlexNet) => (new AlexNet(), AlexNet.ParameterCount, AlexNet.InputShape, AlexNet.OutputShape),
        nameof(Monster) => (new Monster(), Monster.ParameterCount, Monster.InputShape, Monster.OutputShape),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(PyTorchCounts))]
    public void ParameterCount_equals_PyTorch_and_TorchSharp(string model, long pytorch)
    {
        var (module, count, input, output) = Create(model);
        using var _ = module;
        long runtime = module.parameters().Sum(p => p.numel());
        Assert.Equal(pytorch, count);
        Assert.Equal(pytorch, runtime);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        module.eval();
        var y = module.forward(zeros(input.WithBatch(2)));
        Assert.Equal(output.WithBatch(2), y.shape);
    }

    [Fact]
    public void Forward_rejects_a_wrong_input_shape_naming_the_model_and_both_shapes()
    {
        using var net = new MnistNet();
        using var x = zeros(8, 3, 28, 28);
        var e = Assert.Throws<ArgumentException>(() => net.forward(x));
        Assert.Contains("MnistNet", e.Message);
        Assert.Contains("N×1×28×28", e.Message);
        Assert.Contains("8×3×28×28", e.Message);

        using var single = zeros(1, 28, 28);
        var missingBatch = Assert.Throws<ArgumentException>(() => net.forward(single));
        Assert.Contains("unsqueeze(0)", missingBatch.Message);
    }

    [Fact]
    public void Stages_group_layers_and_register_each_parameter_once()
    {
        using var net = new SevenClassNet();
        var names = net.named_parameters().Select(p => p.name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Contains("FeatureExtractor.Conv1.weight", names);
        Assert.Contains("Classifier.Linear1.bias", names);
        Assert.Equal(19_392, net.FeatureExtractor.parameters().Sum(p => p.numel()));
        Assert.Same(net.Conv1, net.FeatureExtractor.named_children().First().module);
    }

    [Fact]
    public void Layers_and_summary_describe_the_net_like_torchinfo()
    {
        Assert.Equal(SevenClassNet.ParameterCount, SevenClassNet.Layers.Sum(l => l.Parameters));
        var linear = SevenClassNet.Layers.Single(l => l.Kind == "Linear");
        Assert.Equal(new Shape(7), linear.OutputShape);
        Assert.Equal(16_384 * 7 + 7, linear.Parameters);
        Assert.Equal("Classifier", linear.Stage);
        Assert.Contains("Total params: 134,087", SevenClassNet.Summary);
        Assert.Contains("Conv1 (Conv2d)", SevenClassNet.Summary);
        // Residual blocks are expanded: 8 blocks × (2 convs + 2 batch norms + 1 relu).
        Assert.Equal(8 * 5, Monster.Layers.Count(l => l.Name.StartsWith("ResBlock")));
        Assert.Equal(Monster.ParameterCount, Monster.Layers.Sum(l => l.Parameters));
        Assert.Contains("ResBlock8.BatchNorm2", Monster.Layers.Select(l => l.Name));
    }

    [Fact]
    public void Residual_block_adds_its_input()
    {
        // With all weights zero and BatchNorm in eval mode with zero affine weight, f(x) = bias = 0,
        // so the block returns relu(x).
        using var block = new ResBlock(4);
        using (no_grad())
            foreach (var p in block.parameters()) p.zero_();
        block.eval();
        using var x = randn(2, 4, 5, 5);
        using var y = block.forward(x);
        using var expected = x.relu();
        Assert.True(y.allclose(expected));
    }
}
