using System.Globalization;
using ModelDsl.Runtime.Tests.Interop;
using ModelDsl.Zoo;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Interop.Tests;

/// <summary>
/// torchvision's architectures declared with generator v3 (src/ModelDsl.Zoo), one test per model: the parameter count
/// torchvision's builder gives (also at 10 classes), its state_dict loading strictly with no name map (random weights and
/// non-trivial batch-norm statistics, so a wrong stride or padding cannot hide), the same eval-mode outputs, and the ONNX
/// export run by ONNX Runtime. torchvision writes every model's files once per run (<see cref="TorchvisionZoo"/>).
/// </summary>
public class ZooTests : IClassFixture<ZooTests.TorchvisionZoo>
{
    /// <summary>Each zoo model: its torchvision builder call (Python), its class, and the input torchvision and ONNX Runtime see.</summary>
    public sealed record ZooModel(string Name, string Builder, Type Type, int Height = 64, int Width = 80);

    public static readonly ZooModel[] Models =
    {
        new("ResNet18", "torchvision.models.resnet18", typeof(ResNet18)),
        new("ResNet34", "torchvision.models.resnet34", typeof(ResNet34)),
        new("ResNet50", "torchvision.models.resnet50", typeof(ResNet50)),
        new("Vgg11Bn", "torchvision.models.vgg11_bn", typeof(Vgg11Bn)),
        new("Vgg16Bn", "torchvision.models.vgg16_bn", typeof(Vgg16Bn)),
        new("MobileNetV2", "torchvision.models.mobilenet_v2", typeof(MobileNetV2)),
        new("DenseNet121", "torchvision.models.densenet121", typeof(DenseNet121)),
        new("SqueezeNet1_1", "torchvision.models.squeezenet1_1", typeof(SqueezeNet1_1)),
        new("MobileNetV3Large", "torchvision.models.mobilenet_v3_large", typeof(MobileNetV3Large)),
        new("MobileNetV3Small", "torchvision.models.mobilenet_v3_small", typeof(MobileNetV3Small)),
        new("EfficientNetB0", "torchvision.models.efficientnet_b0", typeof(EfficientNetB0)),
        new("RegNetX400MF", "torchvision.models.regnet_x_400mf", typeof(RegNetX400MF)),
        new("ShuffleNetV2X0_5", "torchvision.models.shufflenet_v2_x0_5", typeof(ShuffleNetV2X0_5)),
        // Without the auxiliary heads (training only): torchvision's aux_logits=False.
        new("GoogLeNet", "lambda **kw: torchvision.models.googlenet(aux_logits=False, init_weights=True, **kw)", typeof(GoogLeNet)),
        new("ConvNeXtTiny", "torchvision.models.convnext_tiny", typeof(ConvNeXtTiny)),
        // Segmentation: 21 classes by default, no auxiliary head, no downloaded backbone; the output is torchvision's "out".
        new("FcnResNet50", "lambda **kw: torchvision.models.segmentation.fcn_resnet50(weights_backbone=None, aux_loss=False, **kw)", typeof(FcnResNet50), 61, 83),
        new("DeepLabV3ResNet50", "lambda **kw: torchvision.models.segmentation.deeplabv3_resnet50(weights_backbone=None, aux_loss=False, **kw)", typeof(DeepLabV3ResNet50), 61, 83),
        new("LRASPPMobileNetV3Large", "lambda **kw: torchvision.models.segmentation.lraspp_mobilenet_v3_large(weights_backbone=None, **kw)", typeof(LRASPPMobileNetV3Large), 61, 83),
    };

    public static TheoryData<string> ModelNames => new(Models.Select(m => m.Name));

    /// <summary>torchvision's files for every model, written by one Debian PyTorch process into a folder the run shares.</summary>
    public sealed class TorchvisionZoo : IDisposable
    {
        private readonly Nets.TempFolder _folder = new();
        private readonly Lazy<Dictionary<string, long>> _counts;

        public TorchvisionZoo() => _counts = new(Write);

        public string Path => _folder.Path;

        /// <summary>torchvision's parameter counts by model (and "model@10" at ten classes), after its files are written.</summary>
        public IReadOnlyDictionary<string, long> Counts => _counts.Value;

        private Dictionary<string, long> Write()
        {
            string models = string.Join(",\n    ", Models.Select(m => $"(\"{m.Name}\", {m.Builder}, {m.Height}, {m.Width})"));
            string script = $$"""
                import sys, torch, torchvision
                out = sys.argv[1]
                torch.manual_seed(3)
                for name, builder, h, w in (
                    {{models}}):
                    model = builder(weights=None)
                    with torch.no_grad():
                        for n, b in model.named_buffers():
                            if n.endswith("running_mean"): b.copy_(torch.randn_like(b) * 0.1)
                            if n.endswith("running_var"): b.copy_(torch.rand_like(b) * 0.5 + 0.75)
                    model.eval()
                    torch.save(model.state_dict(), f"{out}/{name}.pth")
                    x = torch.randn(2, 3, h, w)
                    with torch.no_grad():
                        y = model(x)
                        if isinstance(y, dict): y = y["out"]
                    torch.save({"input": x, "output": y.contiguous()}, f"{out}/{name}.io.pt")
                    print(name, sum(p.numel() for p in model.parameters()))
                    print(name + "@10", sum(p.numel() for p in builder(weights=None, num_classes=10).parameters()))
                """;
            string printed = SystemPython.Run(script, Path, [Path], [SystemPython.Torch, SystemPython.TorchVision], TimeSpan.FromMinutes(8));
            return printed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).Where(p => p.Length == 2)
                .ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
        }

        public void Dispose() => _folder.Dispose();
    }

    private readonly TorchvisionZoo _zoo;

    public ZooTests(TorchvisionZoo zoo) => _zoo = zoo;

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void A_zoo_model_equals_torchvisions_in_count_keys_and_outputs_and_runs_in_ONNX_Runtime(string name)
    {
        var spec = Models.Single(m => m.Name == name);
        var type = spec.Type;
        var counts = _zoo.Counts;
        Assert.Equal(counts[name], (long)type.GetField("ParameterCount")!.GetValue(null)!);
        // The class count at run time, as torchvision's builders take num_classes.
        Assert.Equal(counts[name + "@10"], (long)type.GetMethod("ParameterCountFor")!.Invoke(null, new object[] { 10L })!);
        using (var ten = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type, 10L)!)
            Assert.Equal(counts[name + "@10"], ten.parameters().Sum(p => p.numel()));

        using var model = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type)!;
        model.eval();
        var loaded = model.LoadFromPyTorch(System.IO.Path.Combine(_zoo.Path, name + ".pth")); // strict, by torchvision's names
        Assert.Equal(model.state_dict().Count, loaded.Loaded.Count);
        var io = PyTorchUnpickler.UnpickleStateDict(System.IO.Path.Combine(_zoo.Path, name + ".io.pt"));
        using var input = (Tensor)io["input"]!;
        using var expected = (Tensor)io["output"]!;
        using (no_grad())
        using (var actual = model.call(input))
            Nets.AssertSame(expected, actual, name, Nets.Tolerance);

        // ONNX Runtime on the export of the model with torchvision's weights, at torchvision's input.
        using var folder = new Nets.TempFolder();
        string file = folder.File(name + ".onnx");
        // VGG's 7×7 adaptive pool has no dynamic ONNX form: it is exported at the input's size, as torch.onnx traces one.
        var graph = Nets.GraphOf(type);
        bool fixedPool = graph.AllNodes.Any(n => n.Op is AdaptiveAvgPool2dOp { Height: not 1 } or AdaptiveAvgPool2dOp { Width: not 1 });
        OnnxExport.Write(model, graph, file, OnnxExport.DefaultOpset, fixedPool ? (spec.Height, spec.Width) : null);
        Assert.Null(OnnxExportTests.Compare(model, file, input));
        OnnxChecker.Check(new[] { file });
    }

    [Fact]
    public void A_segmentation_net_with_its_class_count_at_run_time_exports_its_own_graph()
    {
        // LRASPP sizes two classifiers by the class count and adds them: the instance graph follows the data through its taps.
        using var model = new LRASPPMobileNetV3Large(numClasses: 7);
        model.eval();
        Assert.Equal(LRASPPMobileNetV3Large.ParameterCountFor(7), model.parameters().Sum(p => p.numel()));
        using var folder = new Nets.TempFolder();
        string file = folder.File("lraspp7.onnx");
        model.ExportOnnx(file);
        using var input = randn(2, 3, 61, 83);
        Assert.Null(OnnxExportTests.Compare(model, file, input));
        using (no_grad())
        using (var y = model.call(input))
            Assert.Equal(new long[] { 2, 7, 61, 83 }, y.shape);
    }

    [Fact]
    public void ResNet18s_last_stage_sees_435_pixels_with_a_jump_of_32()
    {
        // The published figure for ResNet-18's receptive field: through the residual blocks, each branch's field the larger.
        var rows = ReceptiveField.PerLayer(ResNet18.Graph).Where(r => !r.Layer.StartsWith(" ", StringComparison.Ordinal)).ToList();
        int pool = rows.FindIndex(r => r.Layer == "avgpool");
        Assert.Equal(new ReceptiveField(435, 435, 32, 32), rows[pool - 1].Field);
        Assert.True(rows[pool].Field.Whole);
        // The same at compile time: the summary's column and the layer table.
        Assert.Equal(new ReceptiveField(435, 435, 32, 32), ResNet18.Layers.Last(l => l.Stage == "layer4").ReceptiveField);
        Assert.Contains("435×435 (32×32)", ResNet18.Summary);
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void Compile_time_receptive_fields_equal_those_computed_from_the_graph(string name)
    {
        // Two walks of the same rule: the generator's over its resolved layers (Layers, ReceptiveField, Summary) and the runtime's
        // over the ModelGraph. Every layer both list must agree, through blocks, shortcuts, taps, merges, heads and resizes.
        var type = Models.Single(m => m.Name == name).Type;
        var graph = (ModelGraph)type.GetProperty("Graph")!.GetValue(null)!;
        var layers = (IReadOnlyList<LayerInfo>)type.GetProperty("Layers")!.GetValue(null)!;
        var compiled = (ReceptiveField)type.GetProperty("ReceptiveField")!.GetValue(null)!;
        var computed = ReceptiveField.PerLayer(graph).GroupBy(r => r.Layer.TrimStart()).ToDictionary(g => g.Key, g => g.Last().Field);
        Assert.Equal(ReceptiveField.Of(graph), compiled);
        int compared = 0;
        foreach (var layer in layers)
        {
            Assert.NotNull(layer.ReceptiveField);
            if (!computed.TryGetValue(layer.Name, out var field)) continue; // a projecting Add's conv and batch norm: no row of their own
            Assert.True(field == layer.ReceptiveField, $"{name}.{layer.Name}: compile time {layer.ReceptiveField}, from the graph {field}");
            compared++;
        }
        Assert.True(compared >= layers.Count * 9 / 10, $"{name}: only {compared} of {layers.Count} layers compared");
    }

    [Fact]
    public void Zoo_models_have_PyTorch_twins_that_compute_the_same()
    {
        // VGG's twins are plain chains (covered by the random-chain twins) and the largest files of all: left out for time.
        var nets = Models.Where(m => !m.Name.StartsWith("Vgg", StringComparison.Ordinal)).Select(m => (m.Name, m.Type)).ToList();
        var failures = PyTorchTwinTests.RunTwins(nets, seed: 4);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
