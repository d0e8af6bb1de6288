using System.Collections;
using ModelDsl.Interop;
using ModelDsl.Samples;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit;
using static ModelDsl.Runtime.Tests.Training.TrainingTestUtil;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Interop;

/// <summary>
/// Weights both ways with real PyTorch (Debian's python3-torch): .NET saves, the model's generated torch.nn twin
/// (its PyTorchSource class, written into twins.py) loads with
/// strict=True and runs; PyTorch trains the weights a little and saves; .NET loads them back. Outputs agree within
/// 1e-4 of the output's scale. One python3 process per test.
/// </summary>
[Collection("Training")] // seeds torch's global generator
public class PyTorchInteropTests
{
    private const string RoundTripScript = """
        import os, sys, torch
        sys.path.insert(0, sys.argv[1])
        import twins
        for name in sys.argv[3:]:
            folder = os.path.join(sys.argv[2], name)
            torch.manual_seed(0)
            model = getattr(twins, name)()
            model.load_state_dict(torch.load(folder + "/dotnet.pt"), strict=True)
            model.eval()
            x = torch.load(folder + "/input.pt")["input"]
            with torch.no_grad():
                y = model(x)
            # Change every weight in PyTorch: two SGD steps in train mode (BatchNorm's running statistics and counter move too).
            model.train()
            opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
            for _ in range(2):
                opt.zero_grad()
                model(x).square().mean().backward()
                opt.step()
            model.eval()
            with torch.no_grad():
                y2 = model(x)
            torch.save({"output": y, "output_after": y2}, folder + "/outputs.pt")
            torch.save(model.state_dict(), folder + "/changed.pt")
            print("ok", name, tuple(y.shape))
        """;

    /// <summary>Four course models: chains with and without stages, BatchNorm and dropout (CifarCnn), taps, concats and transposed convs (DigitUNet).</summary>
    private static readonly string[] CourseModels = ["MnistNet", "LeNet5", "CifarCnn", "DigitUNet"];

    /// <summary>The generated twins of <see cref="CourseModels"/> (each model's PyTorchSource class) as one Python module.</summary>
    private static string Twins() => PyTorchTwin.Preamble + "\n" + string.Join("\n\n",
        new[] { MnistNet.Graph, LeNet5.Graph, CifarCnn.Graph, DigitUNet.Graph }.Select(PyTorchTwin.ClassSource));

    private static (nn.Module<Tensor, Tensor> Model, long[] Input) Create(string name) => name switch
    {
        "MnistNet" => (new MnistNet(), [3, 1, 28, 28]),
        "LeNet5" => (new LeNet5(), [3, 1, 28, 28]),
        "CifarCnn" => (new CifarCnn(), [3, 3, 32, 32]),
        "DigitUNet" => (new DigitUNet(), [2, 1, 16, 16]),
        _ => throw new ArgumentException(name),
    };

    [Fact]
    public void Weights_go_to_PyTorch_and_come_back_with_equal_outputs()
    {
        var dir = TempDir();
        var models = new Dictionary<string, (nn.Module<Tensor, Tensor> Model, Tensor Input)>();
        try
        {
            torch.manual_seed(42);
            foreach (var name in CourseModels)
            {
                var (model, inputShape) = Create(name);
                model.eval();
                var folder = Directory.CreateDirectory(Path.Combine(dir, name)).FullName;
                model.SaveForPyTorch(Path.Combine(folder, "dotnet.pt"));
                var input = randn(inputShape);
                PyTorchPickler.PickleStateDict(Path.Combine(folder, "input.pt"), new Dictionary<string, Tensor> { ["input"] = input });
                models[name] = (model, input);
            }

            File.WriteAllText(Path.Combine(dir, "twins.py"), Twins());
            SystemPython.Run(RoundTripScript, dir, [dir, dir, .. CourseModels], [SystemPython.Torch]);

            foreach (var (name, (model, input)) in models)
            {
                var folder = Path.Combine(dir, name);
                var outputs = PyTorchUnpickler.UnpickleStateDict(Path.Combine(folder, "outputs.pt"));
                using (no_grad())
                {
                    using var ours = model.call(input);
                    AssertClose((Tensor)outputs["output"]!, ours, $"{name}: PyTorch's forward on .NET's weights");

                    var result = model.LoadFromPyTorch(Path.Combine(folder, "changed.pt"));
                    Assert.Equal(model.state_dict().Count, result.Loaded.Count);
                    using var after = model.call(input);
                    AssertClose((Tensor)outputs["output_after"]!, after, $"{name}: .NET's forward on PyTorch's changed weights");
                    Assert.True((ours - after).abs().max().item<float>() > 1e-4, $"{name}: PyTorch's two SGD steps did not change the output");
                }
                foreach (DictionaryEntry e in outputs) ((Tensor)e.Value!).Dispose();
            }
        }
        finally
        {
            foreach (var (model, input) in models.Values) { model.Dispose(); input.Dispose(); }
            Directory.Delete(dir, true);
        }
    }

    private const string AlexNetScript = """
        import sys, torch, torchvision
        out = sys.argv[1]
        torch.manual_seed(1234)
        model = torchvision.models.alexnet(weights=None)  # torchvision's architecture; no pretrained download here
        model.eval()
        torch.save(model.state_dict(), out + "/alexnet.pth")
        x = torch.randn(2, 3, 224, 224)
        with torch.no_grad():
            y = model(x)
        torch.save({"input": x, "output": y}, out + "/io.pt")
        print("ok", tuple(y.shape))
        """;

    /// <summary>
    /// The course's alexnet(pretrained=True) step: a real torchvision AlexNet state dict (random weights with a fixed
    /// seed, saved by PyTorch) loads strictly into the DSL AlexNet — declared with torchvision's keys, so with no name
    /// map — and both forwards agree.
    /// </summary>
    [Fact]
    public void Torchvision_AlexNet_weights_load_into_the_DSL_AlexNet_with_no_name_map()
    {
        var dir = TempDir();
        try
        {
            SystemPython.Run(AlexNetScript, dir, [dir], [SystemPython.Torch, SystemPython.TorchVision], TimeSpan.FromMinutes(4));
            var weights = Path.Combine(dir, "alexnet.pth");
            using var model = new AlexNet();
            model.eval();

            var result = model.LoadFromPyTorch(weights); // strict: every tensor of both sides, by torchvision's own names
            Assert.Equal(16, result.Loaded.Count);
            Assert.Contains("features.0.weight", result.Loaded);
            Assert.Contains("classifier.6.bias", result.Loaded);
            Assert.NotNull(model.Conv1); // the C# properties keep their readable names

            var io = PyTorchUnpickler.UnpickleStateDict(Path.Combine(dir, "io.pt"));
            using var input = (Tensor)io["input"]!;
            using var expected = (Tensor)io["output"]!;
            using (no_grad())
            {
                using var actual = model.call(input);
                AssertClose(expected, actual, "torchvision AlexNet vs the DSL AlexNet");
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>Equal within 1e-4 relative to the output's scale (its largest magnitude, at least 1).</summary>
    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var scope = NewDisposeScope();
        double scale = Math.Max(1.0, expected.abs().max().item<float>());
        double diff = (expected - actual).abs().max().item<float>();
        Assert.True(diff <= 1e-4 * scale, $"{what}: max |difference| {diff:G3}, allowed {1e-4 * scale:G3} (output scale {scale:G3}).");
    }
}
