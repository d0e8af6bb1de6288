using System.Globalization;
using ModelDsl.Runtime.Tests.Interop;
using ModelDsl.Zoo;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Interop.Tests;

/// <summary>
/// The first torchvision architectures declared with generator v3 (src/ModelDsl.Zoo): the parameter count torchvision's
/// builder gives, its state_dict loading strictly with no name map (random weights and non-trivial batch-norm statistics,
/// so a wrong stride or padding cannot hide), the same eval-mode outputs, and the ONNX export and PyTorch twin of each.
/// </summary>
public class ZooTests
{
    private const string Script = """
        import sys, torch, torchvision
        out = sys.argv[1]
        torch.manual_seed(3)
        for name, builder in (("ResNet18", torchvision.models.resnet18), ("MobileNetV2", torchvision.models.mobilenet_v2), ("DenseNet121", torchvision.models.densenet121),
                              ("SqueezeNet1_1", torchvision.models.squeezenet1_1)):
            model = builder(weights=None)
            with torch.no_grad():
                for n, b in model.named_buffers():
                    if n.endswith("running_mean"): b.copy_(torch.randn_like(b) * 0.1)
                    if n.endswith("running_var"): b.copy_(torch.rand_like(b) * 0.5 + 0.75)
            model.eval()
            torch.save(model.state_dict(), f"{out}/{name}.pth")
            x = torch.randn(2, 3, 64, 80)
            with torch.no_grad():
                y = model(x)
            torch.save({"input": x, "output": y}, f"{out}/{name}.io.pt")
            print(name, sum(p.numel() for p in model.parameters()))
            print(name + "@10", sum(p.numel() for p in builder(weights=None, num_classes=10).parameters()))
        """;

    [Fact]
    public void ResNet18_MobileNetV2_and_DenseNet121_equal_torchvisions_in_count_keys_and_outputs()
    {
        using var folder = new Nets.TempFolder();
        string printed = SystemPython.Run(Script, folder.Path, [folder.Path], [SystemPython.Torch, SystemPython.TorchVision], TimeSpan.FromMinutes(4));
        var counts = printed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
        foreach (var (name, model, count) in new (string, nn.Module<Tensor, Tensor>, long)[]
                 { ("ResNet18", new ResNet18(), ResNet18.ParameterCount), ("MobileNetV2", new MobileNetV2(), MobileNetV2.ParameterCount), ("DenseNet121", new DenseNet121(), DenseNet121.ParameterCount),
                   ("SqueezeNet1_1", new SqueezeNet1_1(), SqueezeNet1_1.ParameterCount) })
        {
            using (model)
            {
                Assert.Equal(counts[name], count);
                // The class count at run time, as torchvision's builders take num_classes.
                var type = model.GetType();
                Assert.Equal(counts[name + "@10"], (long)type.GetMethod("ParameterCountFor")!.Invoke(null, new object[] { 10L })!);
                using (var ten = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type, 10L)!)
                    Assert.Equal(counts[name + "@10"], ten.parameters().Sum(p => p.numel()));
                model.eval();
                var loaded = model.LoadFromPyTorch(Path.Combine(folder.Path, name + ".pth")); // strict, by torchvision's names
                Assert.Equal(model.state_dict().Count, loaded.Loaded.Count);
                var io = PyTorchUnpickler.UnpickleStateDict(Path.Combine(folder.Path, name + ".io.pt"));
                using var input = (Tensor)io["input"]!;
                using var expected = (Tensor)io["output"]!;
                using (no_grad())
                using (var actual = model.call(input))
                    Nets.AssertSame(expected, actual, name, Nets.Tolerance);
            }
        }
    }

    [Fact]
    public void ResNet18_MobileNetV2_and_DenseNet121_export_to_ONNX_and_have_twins()
    {
        using var folder = new Nets.TempFolder();
        var failures = new List<string>();
        var files = new List<string>();
        foreach (var type in new[] { typeof(ResNet18), typeof(MobileNetV2), typeof(DenseNet121), typeof(SqueezeNet1_1) })
        {
            var graph = Nets.GraphOf(type);
            using var module = Nets.Create(type, seed: 2);
            string file = folder.File(type.Name + ".onnx");
            OnnxExport.Write(module, graph, file, OnnxExport.DefaultOpset);
            files.Add(file);
            using var input = rand(1, 3, 64, 64);
            if (OnnxExportTests.Compare(module, file, input) is { } problem) failures.Add($"{type.Name}: {problem}");
        }
        failures.AddRange(PyTorchTwinTests.RunTwins(new[] { ("ResNet18", typeof(ResNet18)), ("MobileNetV2", typeof(MobileNetV2)), ("DenseNet121", typeof(DenseNet121)), ("SqueezeNet1_1", typeof(SqueezeNet1_1)) }, seed: 4));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        OnnxChecker.Check(files);
    }
}
