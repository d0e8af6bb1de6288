using ModelDsl.Runtime.Tests.Interop;
using System.Globalization;
using System.Text;
using ModelDsl.Generator.Tests.Infrastructure;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Interop.Tests;

/// <summary>
/// The PyTorch twin (<c>PyTorchSource</c>) runs under real PyTorch (Debian's python3-torch): its state_dict names
/// equal the TorchSharp module's, it loads the weights .NET saved (TorchSharp.PyBridge's save_py, PyTorch's own
/// format) and its eval-mode outputs equal TorchSharp's within 1e-4 of the output's scale. All nets of a test go
/// through one python3 process.
/// </summary>
public class PyTorchTwinTests
{
    private const int RandomChains = 60;
    private const int RandomGraphs = 10;

    [Fact]
    public void Course_model_twins_load_weights_from_dotnet_and_compute_the_same_outputs()
    {
        var nets = Nets.CourseModels.Select(type => (type.Name, type)).ToList();
        var failures = RunTwins(nets, seed: 11);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Random_chain_and_graph_twins_load_weights_from_dotnet_and_compute_the_same_outputs()
    {
        var source = new StringBuilder(RandomArchitecture.Blocks);
        for (int i = 0; i < RandomChains; i++) source.AppendLine(new RandomArchitecture(seed: 9000 + i).Declaration($"Chain{i:D3}"));
        var random = new Random(4242);
        var graphs = new StringBuilder("using ModelDsl;\nnamespace Graphs;\n");
        for (int i = 0; i < RandomGraphs; i++)
        {
            var (layers, channels) = RandomGraph.Next(random);
            graphs.Append($"[Model(Channels = {channels})]\n{layers}\npublic partial class AnyGraph{i};\n");
        }
        var assembly = OnnxExportTests.Compile(source.ToString(), graphs.ToString());
        var nets = Enumerable.Range(0, RandomChains).Select(i => ($"Chain{i:D3}", assembly.GetType($"Props.Chain{i:D3}", true)!))
            .Concat(Enumerable.Range(0, RandomGraphs).Select(i => ($"AnyGraph{i}", assembly.GetType($"Graphs.AnyGraph{i}", true)!))).ToList();
        var failures = RunTwins(nets, seed: 5);
        Assert.True(failures.Count == 0, $"{failures.Count} of {nets.Count} twins differ:\n" + string.Join("\n", failures.Take(15)));
    }

    [Fact]
    public void A_twin_registers_stages_as_sequentials_and_blocks_with_their_shortcut()
    {
        string python = ModelDsl.Samples.Monster.PyTorchSource;
        Assert.Contains("class Monster(nn.Module):", python);
        Assert.Contains("self.add_module(\"Features\", nn.Sequential(OrderedDict([", python);
        Assert.Contains("(\"ResBlock1\", _Block([(\"Conv1\", nn.Conv2d(64, 64, kernel_size=(3, 3)", python);
        Assert.Contains("x = self.Features.ResBlock1(x)", python);
    }

    /// <summary>Saves each net's weights and a random input, runs every twin in one python3 process, compares the outputs; returns what differs.</summary>
    internal static List<string> RunTwins(IReadOnlyList<(string Name, Type Type)> nets, int seed)
    {
        using var folder = new Nets.TempFolder();
        var twins = new StringBuilder(PyTorchTwin.Preamble).Append('\n');
        var manifest = new StringBuilder();
        var expected = new Dictionary<string, (float[] Values, long[] Shape)>(); // by "net/output"
        var failures = new List<string>();
        foreach (var (name, type) in nets)
        {
            var graph = Nets.GraphOf(type);
            twins.Append(PyTorchTwin.ClassSource(graph).Replace($"class {graph.Name}(", $"class {name}(")).Append("\n\n");
            using var scope = NewDisposeScope();
            using var module = Nets.Create(type, seed);
            module.save_py(folder.File(name + ".pt"));
            var input = OnnxExportTests.InputsFor(graph, batch: 2, type).Last();
            File.WriteAllBytes(folder.File(name + ".in"), Bytes(input.data<float>().ToArray()));
            foreach (var (head, values, shape) in Nets.Outputs(module, input)) expected[$"{name}/{head}"] = (values, shape);
            manifest.Append(name).Append('\t').Append(string.Join(",", input.shape)).Append('\n');
        }
        File.WriteAllText(folder.File("twins.py"), twins.ToString());
        File.WriteAllText(folder.File("manifest.tsv"), manifest.ToString());

        const string script = """
            import importlib.util, os, sys, torch
            torch.set_num_threads(1)
            folder = sys.argv[1]
            spec = importlib.util.spec_from_file_location("twins", os.path.join(folder, "twins.py"))
            twins = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(twins)
            for line in open(os.path.join(folder, "manifest.tsv")):
                name, shape = line.rstrip("\n").split("\t")
                try:
                    model = getattr(twins, name)()
                    weights = torch.load(os.path.join(folder, name + ".pt"))
                    mine, theirs = set(model.state_dict().keys()), set(weights.keys())
                    if mine != theirs:
                        print(f"ERR\t{name}\tstate_dict names differ: only in the twin {sorted(mine - theirs)}, only in .NET {sorted(theirs - mine)}")
                        continue
                    model.load_state_dict(weights, strict=True)
                    model.eval()
                    with open(os.path.join(folder, name + ".in"), "rb") as f:
                        x = torch.frombuffer(bytearray(f.read()), dtype=torch.float32).reshape([int(v) for v in shape.split(",")])
                    with torch.no_grad():
                        y = model(x)
                    outputs = y.items() if isinstance(y, dict) else [("output", y)]
                    for head, value in outputs:
                        with open(os.path.join(folder, f"{name}.{head}.out"), "wb") as f:
                            f.write(value.contiguous().numpy().tobytes())
                        print(f"OK\t{name}/{head}\t{','.join(str(d) for d in value.shape)}")
                except Exception as e:
                    print(f"ERR\t{name}\t{type(e).__name__}: {e}".replace("\n", " ")[:600])
            """;
        // One python3 process for all nets; a missing torch fails naming python3-torch, any other exit fails with its output.
        var output = SystemPython.Run(script, folder.Path, new[] { folder.Path }, [SystemPython.Torch]);
        var ran = new HashSet<string>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t');
            if (parts[0] == "ERR") { failures.Add($"{parts[1]}: {parts[2]}"); continue; }
            if (parts[0] != "OK") continue;
            ran.Add(parts[1]);
            var shape = parts[2].Split(',').Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var actual = Floats(File.ReadAllBytes(folder.File(parts[1].Replace('/', '.') + ".out")));
            if (!expected.TryGetValue(parts[1], out var want)) failures.Add($"{parts[1]}: the twin returns an output the .NET module does not have");
            else if (Nets.Difference(want.Values, actual, shape, want.Shape) is { } problem) failures.Add($"{parts[1]}: {problem}");
        }
        foreach (var key in expected.Keys.Where(k => !ran.Contains(k)))
            if (!failures.Any(f => f.StartsWith(key.Split('/')[0] + ":", StringComparison.Ordinal))) failures.Add($"{key}: python3 did not report it:\n{output}");
        return failures;
    }

    private static byte[] Bytes(float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    private static float[] Floats(byte[] bytes)
    {
        var values = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }
}
