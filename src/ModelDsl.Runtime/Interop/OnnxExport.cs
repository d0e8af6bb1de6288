using Onnx;
using TorchSharp;
using static ModelDsl.Interop.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace ModelDsl.Interop;

/// <summary>
/// Writes a generated model as an ONNX file: walks its <see cref="ModelGraph"/> and turns each node into ONNX
/// operators with eval-mode semantics (batch norm with its running statistics, dropout off), taking the
/// weights from the module's state_dict. The batch axis is dynamic, and so are height and width for a net
/// of any size. Generated models call it from <c>ExportOnnx(path, opset)</c>.
/// </summary>
public static class OnnxExport
{
    /// <summary>The opset <c>ExportOnnx</c> writes unless told otherwise (the newest that Debian 12's python3-onnx 1.12 checks).</summary>
    public const int DefaultOpset = 17;

    /// <summary>The oldest opset written: 13 has Softmax over one axis and Resize with sizes, which this exporter relies on.</summary>
    public const int MinOpset = 13;

    /// <summary>The newest opset written.</summary>
    public const int MaxOpset = 21;

    /// <summary>The names of the graph's input and output.</summary>
    public const string InputName = "input", OutputName = "output";

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/>; see <see cref="Build"/>.</summary>
    public static void Write(nn.Module model, ModelGraph graph, string path, int opset = DefaultOpset, (long Height, long Width)? fixedSize = null)
    {
        var proto = Build(model, graph, opset, fixedSize);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        using var file = File.Create(path);
        using var output = new Google.Protobuf.CodedOutputStream(file);
        proto.WriteTo(output);
    }

    /// <summary>
    /// The ONNX model of <paramref name="model"/> (a module generated for <paramref name="graph"/>) at
    /// <paramref name="opset"/> (13–21). Throws a <see cref="NotSupportedException"/> naming the layer that has
    /// no ONNX equivalent, and an <see cref="ArgumentException"/> for an opset outside the range.
    /// <para>
    /// <paramref name="fixedSize"/>, for a net of any size: the graph is written for that input height and width only, as
    /// torch.onnx writes what it traced — for layers no dynamic ONNX graph expresses (an adaptive pool to a size other
    /// than 1×1, VGG's 7×7). The exporter runs the model once on zeros of that size to learn those layers' input sizes.
    /// </para>
    /// </summary>
    public static ModelProto Build(nn.Module model, ModelGraph graph, int opset = DefaultOpset, (long Height, long Width)? fixedSize = null)
    {
        if (opset < MinOpset || opset > MaxOpset)
            throw new ArgumentOutOfRangeException(nameof(opset), opset, $"{graph.Name}: ONNX export writes opsets {MinOpset} to {MaxOpset}.");
        if (fixedSize is { } size && (!graph.AnySize || size.Height < 1 || size.Width < 1))
            throw new ArgumentException(graph.AnySize ? $"{graph.Name}: a fixed export size needs a positive height and width, not {size.Height}×{size.Width}."
                : $"{graph.Name} has a fixed input size ({graph.Input}): it is exported at that size, without a fixed size given.", nameof(fixedSize));
        using var scope = NewDisposeScope();
        var weights = model.state_dict();
        var builder = new OnnxGraphBuilder(graph.Name, opset);
        var observed = fixedSize is { } at ? AdaptivePoolInputs(model, graph, at) : null;
        var translator = new OnnxLayerTranslator(builder, graph, name => WeightOf(weights, name, graph), observed);

        var input = graph.Input;
        builder.Fresh(InputName);
        builder.Fresh(OutputName);
        builder.Graph.Input.Add(input.IsFlat
            ? FloatValue(InputName, "N", input.Features)
            : fixedSize is { } fixedAt ? FloatValue(InputName, "N", input.Channels, fixedAt.Height, fixedAt.Width)
            : graph.AnySize ? FloatValue(InputName, "N", input.Channels, "H", "W") : FloatValue(InputName, "N", input.Channels, input.Height, input.Width));

        if (graph.Nodes.Any(n => n.Op is HeadOp))
        {
            WriteHeads(builder, translator, graph);
            return Model(builder, graph, opset);
        }
        string last = translator.Chain(graph.Nodes, InputName);
        // The graph's output must be produced by a node: a net of identities (dropout, Identity) gets one.
        if (last == InputName) last = builder.Node("Identity", "identity", new[] { last });
        foreach (var node in builder.Graph.Node)
        {
            for (int i = 0; i < node.Output.Count; i++) if (node.Output[i] == last) node.Output[i] = OutputName;
            for (int i = 0; i < node.Input.Count; i++) if (node.Input[i] == last) node.Input[i] = OutputName;
        }
        var output = graph.Output;
        builder.Graph.Output.Add(OutputValue(OutputName, output, graph.AnySize));

        return Model(builder, graph, opset);
    }

    // A model with heads: one output per head, named after it, in declaration order; the trunk before the first head has none.
    private static void WriteHeads(OnnxGraphBuilder builder, OnnxLayerTranslator translator, ModelGraph graph)
    {
        string x = InputName;
        GraphNode? head = null;
        Shape shape = graph.Input;
        void EndHead()
        {
            if (head is null) return;
            string name = ((HeadOp)head.Op).Head;
            builder.Fresh(name);
            var node = new NodeProto { OpType = "Identity", Name = name + ".output" };
            node.Input.Add(x);
            node.Output.Add(name);
            builder.Graph.Node.Add(node);
            builder.Graph.Output.Add(OutputValue(name, shape, graph.AnySize));
        }
        foreach (var node in graph.Nodes)
        {
            if (node.Op is HeadOp) { EndHead(); head = node; }
            x = translator.Translate(node, x);
            shape = node.Output;
        }
        EndHead();
    }

    // An output's declared shape: the batch symbolic; in a net of any size a feature map's H and W unknown (a flat
    // or reshaped output of such a net is size-independent: the generator requires it); else every dimension of
    // the per-sample shape, of whatever rank (1-4: Reshape and Permute give ranks 2 and 4 too).
    private static ValueInfoProto OutputValue(string name, Shape shape, bool anySize)
    {
        if (anySize && shape.IsFeatureMap) return FloatValue(name, "N", shape.Channels, null, null);
        var dims = new object?[shape.Rank + 1];
        dims[0] = "N";
        for (int i = 0; i < shape.Rank; i++) dims[i + 1] = shape[i];
        return FloatValue(name, dims);
    }

    private static ModelProto Model(OnnxGraphBuilder builder, ModelGraph graph, int opset)
    {
        var proto = new ModelProto
        {
            IrVersion = IrVersionFor(opset),
            ProducerName = "ModelDsl",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "",
            DocString = $"{graph.Name}, exported in eval mode by ModelDsl.",
            Graph = builder.Graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return proto;
    }

    /// <summary>The IR version that introduced each opset (onnx/docs/Versioning.md): readers of that age accept the file.</summary>
    internal static long IrVersionFor(int opset) => opset switch
    {
        13 => 7,
        <= 18 => 8,
        <= 20 => 9,
        _ => 10,
    };

    /// <summary>
    /// The input height and width of each adaptive pool (by state_dict path) when <paramref name="model"/> runs on zeros of
    /// <paramref name="size"/> in eval mode: forward hooks on those modules, removed afterwards.
    /// </summary>
    private static Dictionary<string, (long Height, long Width)> AdaptivePoolInputs(nn.Module model, ModelGraph graph, (long Height, long Width) size)
    {
        var paths = new HashSet<string>(graph.AllNodes.Where(n => n.Op is AdaptiveAvgPool2dOp).Select(n => n.Path), StringComparer.Ordinal);
        var seen = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        if (paths.Count == 0) return seen;
        var hooks = new List<Action>();
        foreach (var (path, module) in model.named_modules())
            if (paths.Contains(path) && module is nn.Module<Tensor, Tensor> pool)
            {
                var hook = pool.register_forward_pre_hook((_, x) => { seen[path] = (x.shape[2], x.shape[3]); return x; });
                hooks.Add(hook.remove);
            }
        bool training = model.training;
        try
        {
            model.eval();
            using var noGrad = no_grad();
            using var zeros = torch.zeros(1, graph.Input.Channels, size.Height, size.Width);
            var output = ((dynamic)model).call(zeros);
            if (output is IDisposable disposable) disposable.Dispose();
        }
        finally
        {
            foreach (var remove in hooks) remove();
            model.train(training);
        }
        return seen;
    }

    private static float[] WeightOf(Dictionary<string, Tensor> weights, string name, ModelGraph graph)
    {
        if (!weights.TryGetValue(name, out var tensor))
            throw new InvalidOperationException($"{graph.Name}: the module has no tensor '{name}' that its graph names; was it built from the generated constructor?");
        using var values = tensor.detach().cpu().to_type(ScalarType.Float32).contiguous();
        return values.data<float>().ToArray();
    }
}
