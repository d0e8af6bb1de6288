using System.Globalization;
using ModelDsl.Runtime.Tests.Interop;
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
    public void Graph_blocks_run_in_ONNX_Runtime_as_in_TorchSharp_at_fixed_and_any_size()
    {
        using var folder = new Nets.TempFolder();
        var failures = new List<string>();
        var files = new List<string>();
        foreach (var name in new[] { "GraphBlockNet", "AnySizeGraphBlockNet" })
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
    public void Graph_block_twins_load_weights_from_dotnet_and_compute_the_same_outputs()
    {
        var failures = PyTorchTwinTests.RunTwins(new[] { ("GraphBlockNet", Net("GraphBlockNet")), ("AnySizeGraphBlockNet", Net("AnySizeGraphBlockNet")) }, seed: 9);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private const string TorchvisionScript = """
        import sys, torch
        from torchvision.ops import SqueezeExcitation
        from torchvision.models.squeezenet import Fire
        out = sys.argv[1]
        torch.manual_seed(7)
        for name, module in (("se", SqueezeExcitation(16, 4)), ("fire", Fire(16, 8, 32, 32))):
            with torch.no_grad():
                for p in module.parameters():
                    p.copy_(torch.randn_like(p) * 0.3)
            module.eval()
            x = torch.randn(2, 16, 9, 7)
            with torch.no_grad():
                y = module(x)
            torch.save(module.state_dict(), f"{out}/{name}.pth")
            torch.save({"input": x, "output": y}, f"{out}/{name}.io.pt")
        print("ok")
        """;

    [Fact]
    public void Torchvisions_squeeze_excitation_and_fire_load_with_no_name_map_and_compute_the_same()
    {
        using var folder = new Nets.TempFolder();
        SystemPython.Run(TorchvisionScript, folder.Path, [folder.Path], [SystemPython.Torch, SystemPython.TorchVision]);
        using var net = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(Net("GraphBlockNet"))!;
        net.eval();
        foreach (var (file, property) in new[] { ("se", "Gate"), ("fire", "Fire1") })
        {
            var block = (nn.Module<Tensor, Tensor>)net.GetType().GetProperty(property)!.GetValue(net)!;
            var loaded = block.LoadFromPyTorch(Path.Combine(folder.Path, file + ".pth")); // strict: torchvision's own names
            Assert.True(loaded.Loaded.Count >= 4, $"{file}: {loaded.Loaded.Count} tensors");
            var io = PyTorchUnpickler.UnpickleStateDict(Path.Combine(folder.Path, file + ".io.pt"));
            using var input = (Tensor)io["input"]!;
            using var expected = (Tensor)io["output"]!;
            using (no_grad())
            {
                using var actual = block.call(input);
                Assert.Equal(expected.shape, actual.shape);
                double diff = (expected - actual).abs().max().item<float>();
                Assert.True(diff < 1e-5 * Math.Max(1, expected.abs().max().item<float>()), $"{file}: max |difference| {diff.ToString("G3", CultureInfo.InvariantCulture)}");
            }
        }
    }
}
