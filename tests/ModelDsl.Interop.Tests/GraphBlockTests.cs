using System.Globalization;
using ModelDsl.Runtime.Tests.Interop;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Interop.Tests;

/// <summary>
/// Graph blocks — taps, From and merges inside a block, and blocks inside blocks — in all four places: the generated
/// TorchSharp module, ONNX Runtime, the PyTorch twin, and torchvision's own modules of that kind (squeeze-and-excitation,
/// SqueezeNet's Fire), whose state_dicts load with no name map and whose outputs are the same.
/// </summary>
public class GraphBlockTests
{
    /// <summary>torchvision.ops.SqueezeExcitation(16, 4) and torchvision.models.squeezenet.Fire(16, 8, 32, 32), declared with their keys.</summary>
    internal const string Source = """
        using ModelDsl;
        namespace GraphBlocks
        {
            [Block]
            [Tap("x"), GlobalAvgPool(Key = "avgpool"), Conv2d(4, 1, Key = "fc1"), ReLU(Key = "activation")]
            [Conv2d(16, 1, Key = "fc2"), Sigmoid(Key = "scale_activation"), Multiply("x")]
            public partial class SqueezeExcitation16;

            [Block]
            [Conv2d(8, 1, Key = "squeeze"), ReLU(Key = "squeeze_activation"), Tap("s")]
            [Conv2d(32, 1, Key = "expand1x1"), ReLU(Key = "expand1x1_activation"), Tap("e1")]
            [From("s"), Conv2d(32, 3, Padding = 1, Key = "expand3x3"), ReLU(Key = "expand3x3_activation")]
            [Concat("e1", Order = ConcatOrder.TapFirst)]
            public partial class Fire;

            // A block in a block, with a residual around both.
            [Block, Residual(Then = Act.ReLU)]
            [Conv2d(16, 3, Padding = 1, Bias = false, Key = "conv"), BatchNorm2d(Key = "bn"), Use<SqueezeExcitation16>(Key = "se")]
            public partial class SeBasic;

            // Upsample to a tap's or the input's size: a fully convolutional net returns its input's size at any size.
            [Block]
            [Tap("x"), Conv2d(8, 3, Stride = 2, Padding = 1), ReLU, Upsample(SizeOf = "x", Mode = UpsampleMode.Bilinear)]
            public partial class DownUp;

            [Model(Channels = 3)]
            [Conv2d(8, 3, Stride = 2, Padding = 1), ReLU, Use<DownUp>, Conv2d(3, 1), Upsample(SizeOf = "input", Mode = UpsampleMode.Bilinear)]
            public partial class SegmentAnySize;

            [Model(Channels = 1, Height = 21, Width = 30)]
            [Tap("full"), MaxPool2d(2), Conv2d(4, 3, Padding = 1), Upsample(SizeOf = "full"), Concat("full")]
            public partial class SegmentFixed;

            // The U-Net pad-to-match: a map that lost a row to a pool grows back to the skip's size before the join.
            [Model(Channels = 2, Height = 21, Width = 30)]
            [Conv2d(4, 3, Padding = 1), Tap("skip"), MaxPool2d(2), Conv2d(4, 3, Padding = 1), ConvTranspose2d(4, 2, Stride = 2), ZeroPad2d(SizeOf = "skip"), Concat("skip"), Conv2d(2, 1)]
            public partial class PadToMatch;

            [Block]
            [Tap("x"), MaxPool2d(2), Conv2d(Kernel = 1), ConstantPad2d(SizeOf = "x", Value = 0.5), Add("x"), MaxPool2d(3, Stride = 2), ReplicationPad2d(SizeOf = "input")]
            public partial class PoolPadBack;

            [Model(Channels = 2)]
            [Conv2d(4, 3, Padding = 1), Tap("skip"), MaxPool2d(2), ConvTranspose2d(4, 2, Stride = 2), ReflectionPad2d(SizeOf = "skip"), Add("skip"), Use<PoolPadBack>, Conv2d(2, 1)]
            public partial class PadToMatchAnySize;

            // The class count at run time: an instance with 7 classes exports its own graph.
            [Model(Channels = 3, Args = "NumClasses = 10")]
            [Conv2d(16, 3, Stride = 2, Padding = 1), Use<Fire>, GlobalAvgPool, Flatten, Linear("NumClasses")]
            public partial class RuntimeClasses;

            // SqueezeNet's head: the classes from a convolution, then layers that only pass them on.
            [Model(Channels = 3, Args = "NumClasses = 10")]
            [Conv2d(8, 3, Padding = 1), ReLU, Conv2d(OutChannels = "NumClasses", Kernel = 1), ReLU, GlobalAvgPool, Flatten]
            public partial class RuntimeConvClasses;

            [Model(Channels = 3, Height = 12, Width = 12)]
            [Conv2d(16, 3, Padding = 1), Use<SeBasic>(Repeat = 2, Key = "0"), Use<SqueezeExcitation16>(Name = "Gate"), Use<Fire>]
            [GlobalAvgPool, Flatten, Linear(5)]
            public partial class GraphBlockNet;

            [Model(Channels = 3)]
            [Conv2d(16, 3, Stride = 2, Padding = 1), Use<SeBasic>, Use<Fire>, Conv2d(2, 1)]
            public partial class AnySizeGraphBlockNet;
        }
        """;

    private static readonly Lazy<System.Reflection.Assembly> Compiled = new(() => OnnxExportTests.Compile(Source));

    private static Type Net(string name) => Compiled.Value.GetType("GraphBlocks." + name, throwOnError: true)!;

    [Fact]
    public void Graph_blocks_have_the_compile_time_shapes_counts_and_keys_at_run_time()
    {
        var type = Net("GraphBlockNet");
        using var module = (nn.Module<Tensor, Tensor>)Nets.Create(type, seed: 3);
        using var scope = NewDisposeScope();
        var y = module.call(rand(2, 3, 12, 12));
        Assert.Equal(new long[] { 2, 5 }, y.shape);
        Assert.Equal((long)type.GetField("ParameterCount")!.GetValue(null)!, module.parameters().Sum(p => p.numel()));
        var keys = module.state_dict().Keys.ToHashSet();
        // SeBasic ×2 numbered from Key "0", its SE under "se" with torchvision's names; Fire's and the gate's likewise.
        foreach (var key in new[] { "0.conv.weight", "0.bn.running_var", "0.se.fc1.weight", "1.se.fc2.bias", "Fire1.squeeze.weight", "Fire1.expand3x3.bias", "Gate.fc2.weight" })
            Assert.Contains(key, keys);
        var graph = Nets.GraphOf(type);
        var fire = graph.Nodes.Single(n => n.Name == "Fire1");
        Assert.Contains(fire.Inner, n => n.Op is ConcatOp { TapFirst: true, Tap: "Fire1/e1" }); // a block's taps are qualified by its use
    }

    [Fact]
    public void A_layer_scale_is_a_bare_parameter_under_its_key_in_state_dict_and_named_parameters_and_moves_with_the_model()
    {
        using var module = new ModelDsl.Zoo.ConvNeXtTiny(numClasses: 10);
        // torchvision's CNBlock: "….layer_scale", not "….layer_scale.weight"; no buffers, so parameters and state_dict list the same names.
        var stateKeys = module.state_dict().Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        Assert.Contains("features.1.0.layer_scale", stateKeys);
        Assert.Contains("features.5.8.block.3.weight", stateKeys);
        Assert.DoesNotContain(stateKeys, k => k.EndsWith("layer_scale.weight", StringComparison.Ordinal));
        Assert.Equal(stateKeys, module.named_parameters().Select(p => p.name).OrderBy(k => k, StringComparer.Ordinal).ToList());
        Assert.Equal(ModelDsl.Zoo.ConvNeXtTiny.ParameterCountFor(10), module.parameters().Sum(p => p.numel()));
        // Module.to() replaces a moved parameter through its property: the layer and the state_dict still share it afterwards.
        module.to(ScalarType.Float64);
        var scale = (ModelDsl.LayerScale)module.named_modules().Single(m => m.name == "features.1.0.layer_scale").module;
        Assert.Equal(ScalarType.Float64, scale.weight!.dtype);
        Assert.Same(scale.weight, module.named_parameters().Single(p => p.name == "features.1.0.layer_scale").parameter);
        using var y = module.call(rand(1, 3, 32, 32, dtype: ScalarType.Float64));
        Assert.Equal(new long[] { 1, 10 }, y.shape);
    }

    [Fact]
    public void Padding_to_a_taps_size_returns_the_skips_size_at_odd_and_any_sizes()
    {
        Assert.Equal(new Shape(2, 21, 30), (Shape)Net("PadToMatch").GetProperty("OutputShape")!.GetValue(null)!); // 21 → 10 → 20, padded to 21
        var type = Net("PadToMatchAnySize");
        using var module = (nn.Module<Tensor, Tensor>)Nets.Create(type, seed: 4);
        foreach (var (h, w) in new[] { (21, 30), (16, 16), (9, 13) })
        {
            using var y = module.call(rand(2, 2, h, w));
            Assert.Equal(new long[] { 2, 2, h, w }, y.shape);
            Assert.Equal(new Shape(2, h, w), (Shape)type.GetMethod("OutputShapeFor")!.Invoke(null, new object[] { new Shape(2, h, w) })!);
        }
        // F.pad's split, the extra row after: a 1×1 map of ones padded to 2×3 has it at [0, 1].
        using var one = ones(1, 1, 1, 1);
        using var padded = ModelDsl.ForwardSteps.PadTo(one, zeros(1, 1, 2, 3), false, false, "constant", 0);
        Assert.Equal(new float[] { 0, 1, 0, 0, 0, 0 }, padded.data<float>().ToArray());
        var error = Assert.Throws<ArgumentException>(() => ModelDsl.ForwardSteps.PadTo(zeros(1, 1, 4, 4), zeros(1, 1, 3, 5), false, false, "constant", 0));
        Assert.Contains("[1, 1, 4, 4] is larger than the reference [1, 1, 3, 5]", error.Message);
    }

    [Fact]
    public void Upsample_to_the_input_size_returns_the_inputs_size_at_any_size()
    {
        var type = Net("SegmentAnySize");
        using var module = (nn.Module<Tensor, Tensor>)Nets.Create(type, seed: 1);
        foreach (var (h, w) in new[] { (37, 53), (16, 16), (9, 64) })
        {
            using var y = module.call(rand(2, 3, h, w));
            Assert.Equal(new long[] { 2, 3, h, w }, y.shape);
            var shape = (Shape)type.GetMethod("OutputShapeFor")!.Invoke(null, new object[] { new Shape(3, h, w) })!;
            Assert.Equal(new Shape(3, h, w), shape);
        }
        var fixedType = Net("SegmentFixed");
        Assert.Equal(new Shape(5, 21, 30), (Shape)fixedType.GetProperty("OutputShape")!.GetValue(null)!); // 21 → 10 → back to 21, then both maps joined
    }

    [Fact]
    public void Graph_blocks_run_in_ONNX_Runtime_as_in_TorchSharp_at_fixed_and_any_size()
    {
        using var folder = new Nets.TempFolder();
        var failures = new List<string>();
        var files = new List<string>();
        foreach (var name in new[] { "GraphBlockNet", "AnySizeGraphBlockNet", "SegmentAnySize", "SegmentFixed", "PadToMatch", "PadToMatchAnySize" })
        {
            var type = Net(name);
            var graph = Nets.GraphOf(type);
            using var module = Nets.Create(type, seed: 5);
            string file = folder.File(name + ".onnx");
            OnnxExport.Write(module, graph, file, OnnxExport.DefaultOpset);
            files.Add(file);
            foreach (var input in OnnxExportTests.InputsFor(graph, batch: 2, type))
                if (OnnxExportTests.Compare(module, file, input) is { } problem) failures.Add($"{name} at {string.Join("×", input.shape)}: {problem}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        OnnxChecker.Check(files);
    }

    [Fact]
    public void An_instance_with_a_run_time_class_count_exports_its_own_graph_to_ONNX()
    {
        using var folder = new Nets.TempFolder();
        var files = new List<string>();
        foreach (var name in new[] { "RuntimeClasses", "RuntimeConvClasses" })
        {
            var type = Net(name);
            using var module = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type, 7L)!;
            module.eval();
            string file = folder.File(name + "7.onnx");
            type.GetMethod("ExportOnnx", new[] { typeof(string), typeof(int) })!.Invoke(module, new object[] { file, OnnxExport.DefaultOpset });
            files.Add(file);
            using var input = rand(2, 3, 20, 24);
            Assert.Null(OnnxExportTests.Compare(module, file, input));
            var graph = (ModelGraph)type.GetProperty("InstanceGraph")!.GetValue(module)!;
            Assert.Equal(new Shape(7), graph.Output);
        }
        OnnxChecker.Check(files);
    }

    [Fact]
    public void Graph_block_twins_load_weights_from_dotnet_and_compute_the_same_outputs()
    {
        var failures = PyTorchTwinTests.RunTwins(new[] { "GraphBlockNet", "AnySizeGraphBlockNet", "SegmentAnySize", "SegmentFixed", "PadToMatch", "PadToMatchAnySize" }.Select(n => (n, Net(n))).ToList(), seed: 9);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private const string TorchvisionScript = """
        import sys, torch
        from functools import partial
        from torchvision.ops import SqueezeExcitation
        from torchvision.models.squeezenet import Fire
        from torchvision.models.mobilenetv2 import InvertedResidual
        from torchvision.models.mobilenetv3 import InvertedResidual as InvertedResidualV3, InvertedResidualConfig
        from torchvision.models.efficientnet import MBConv, MBConvConfig
        from torchvision.models.densenet import _DenseLayer
        from torchvision.models.googlenet import Inception
        from torchvision.models.shufflenetv2 import InvertedResidual as ShuffleUnit
        from torchvision.models.convnext import CNBlock
        out = sys.argv[1]
        torch.manual_seed(7)
        v3norm = partial(torch.nn.BatchNorm2d, eps=0.001, momentum=0.01)
        for name, module, c in (("se", SqueezeExcitation(16, 4), 16), ("fire", Fire(16, 8, 32, 32), 16), ("noexpand", InvertedResidual(32, 16, 1, 1), 32),
                                ("down", InvertedResidual(16, 24, 2, 6), 16), ("skip", InvertedResidual(24, 24, 1, 6), 24),
                                ("mbconv1", MBConv(MBConvConfig(1, 3, 1, 32, 16, 1), 0.0, torch.nn.BatchNorm2d), 32),
                                ("mbconv6", MBConv(MBConvConfig(6, 5, 1, 40, 40, 1), 0.0, torch.nn.BatchNorm2d), 40),
                                ("v3se", InvertedResidualV3(InvertedResidualConfig(24, 5, 72, 40, True, "RE", 2, 1, 1.0), v3norm), 24),
                                ("v3hs", InvertedResidualV3(InvertedResidualConfig(80, 3, 184, 80, False, "HS", 1, 1, 1.0), v3norm), 80),
                                ("dense", _DenseLayer(64, 32, 4, 0.0, False), 64), ("inception", Inception(192, 64, 96, 128, 16, 32, 32), 192),
                                ("shuffledown", ShuffleUnit(24, 48, 2), 24), ("shuffleunit", ShuffleUnit(48, 48, 1), 48),
                                ("cnblock", CNBlock(96, 1e-6, 0.0), 96)):
            with torch.no_grad():
                for p in module.parameters():
                    p.copy_(torch.randn_like(p) * 0.3)
                for n, b in module.named_buffers():
                    if n.endswith("running_mean"): b.copy_(torch.randn_like(b) * 0.2)
                    if n.endswith("running_var"): b.copy_(torch.rand_like(b) + 0.5)
            module.eval()
            x = torch.randn(2, c, 9, 7)
            with torch.no_grad():
                y = module(x)
                if name == "dense": y = torch.cat([x, y], 1)  # _DenseBlock's concatenation, which the DSL layer does itself
            torch.save(module.state_dict(), f"{out}/{name}.pth")
            torch.save({"input": x, "output": y.contiguous()}, f"{out}/{name}.io.pt")
        print("ok")
        """;

    [Fact]
    public void Torchvisions_building_blocks_load_with_no_name_map_and_compute_the_same()
    {
        using var folder = new Nets.TempFolder();
        SystemPython.Run(TorchvisionScript, folder.Path, [folder.Path], [SystemPython.Torch, SystemPython.TorchVision]);
        using var net = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(Net("GraphBlockNet"))!;
        net.eval();
        nn.Module<Tensor, Tensor> Property(nn.Module owner, string property) => (nn.Module<Tensor, Tensor>)owner.GetType().GetProperty(property)!.GetValue(owner)!;
        // The other blocks are the zoo's (src/ModelDsl.Zoo), at their places in its nets.
        using var mobile = new ModelDsl.Zoo.MobileNetV2();
        using var mobile3 = new ModelDsl.Zoo.MobileNetV3Large();
        using var efficient = new ModelDsl.Zoo.EfficientNetB0();
        using var dense = new ModelDsl.Zoo.DenseNet121();
        using var google = new ModelDsl.Zoo.GoogLeNet();
        using var shuffle = new ModelDsl.Zoo.ShuffleNetV2X0_5();
        using var convNext = new ModelDsl.Zoo.ConvNeXtTiny();
        nn.Module<Tensor, Tensor> At(nn.Module model, string path)
        {
            model.eval();
            return (nn.Module<Tensor, Tensor>)model.named_modules().Single(m => m.name == path).module;
        }
        foreach (var (file, block) in new[] { ("se", Property(net, "Gate")), ("fire", Property(net, "Fire1")),
                     ("noexpand", At(mobile, "features.1")), ("down", At(mobile, "features.2")), ("skip", At(mobile, "features.3")),
                     ("mbconv1", At(efficient, "features.1.0")), ("mbconv6", At(efficient, "features.3.1")),
                     ("v3se", At(mobile3, "features.4")), ("v3hs", At(mobile3, "features.9")),
                     ("dense", At(dense, "features.denseblock1.denselayer1")), ("inception", At(google, "inception3a")),
                     ("shuffledown", At(shuffle, "stage2.0")), ("shuffleunit", At(shuffle, "stage2.1")), ("cnblock", At(convNext, "features.1.0")) })
        {
            var loaded = block.LoadFromPyTorch(Path.Combine(folder.Path, file + ".pth")); // strict: torchvision's own names
            Assert.True(loaded.Loaded.Count >= 4, $"{file}: {loaded.Loaded.Count} tensors");
            var io = PyTorchUnpickler.UnpickleStateDict(Path.Combine(folder.Path, file + ".io.pt"));
            using var input = (Tensor)io["input"]!;
            using var expected = (Tensor)io["output"]!;
            using (no_grad())
            using (var actual = block.call(input))
                Nets.AssertSame(expected, actual, file, 1e-5);
        }
    }
}
