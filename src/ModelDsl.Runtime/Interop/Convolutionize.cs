using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Interop;

/// <summary>
/// The course's "convolutionize", for any generated classifier whose head is Flatten then Linear layers: the same network
/// with each Linear as a convolution — the first with a kernel of the flattened map's size (a Linear row over C·H·W inputs
/// is one C×H×W kernel, as Flatten orders them), the others 1×1 — so an image larger than the classifier's input gives a
/// map of class scores, one per window (on the classifier's own size exactly its scores, as N×K×1×1). Built from a copy of
/// the classifier (its state_dict), so training one does not move the other. The layers after Flatten may be Linear,
/// activations and dropout; anything else there, or a graph (taps, merges, heads), is refused naming the layer.
/// </summary>
public sealed class Convolutionized : nn.Module<Tensor, Tensor>
{
    private readonly List<nn.Module<Tensor, Tensor>> _steps = new();

    private Convolutionized(string name) : base(name) { }

    /// <summary>Input channels the network takes (any height and width from the classifier's input size up).</summary>
    public long Channels { get; private init; }

    /// <summary>The fully convolutional twin of <paramref name="classifier"/> (a generated model), its weights carried over.</summary>
    public static Convolutionized Of(nn.Module<Tensor, Tensor> classifier)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        var type = classifier.GetType();
        var graph = type.GetProperty("Graph")?.GetValue(null) as ModelGraph
            ?? throw new ArgumentException($"{type.Name} is not a generated model (it has no Graph).", nameof(classifier));
        var copy = (nn.Module<Tensor, Tensor>)(Activator.CreateInstance(type)
            ?? throw new ArgumentException($"{type.Name} cannot be built without arguments.", nameof(classifier)));
        var source = classifier.state_dict();
        var target = copy.state_dict();
        if (!source.Keys.OrderBy(k => k, StringComparer.Ordinal).SequenceEqual(target.Keys.OrderBy(k => k, StringComparer.Ordinal))
            || source.Any(kv => !kv.Value.shape.SequenceEqual(target[kv.Key].shape)))
            throw new NotSupportedException($"{type.Name}: this instance's tensors differ from its default build (built with other run-time arguments); convolutionize the default build.");
        using (no_grad())
            foreach (var (name, tensor) in target) tensor.copy_(source[name].to(tensor.device));

        var modules = copy.named_modules().ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
        var result = new Convolutionized($"{type.Name}Fcn") { Channels = graph.Input.IsFeatureMap ? graph.Input.Channels : throw new NotSupportedException($"{type.Name} takes flat features, not images.") };
        Shape? flattened = null;
        bool firstLinear = true;
        foreach (var node in graph.Nodes)
        {
            string where = $"{type.Name}: layer {node.Name} ({node.Op.GetType().Name.Replace("Op", "")})";
            switch (node.Op)
            {
                case TapOp or FromOp or HeadOp or AddOp or ConcatOp or MultiplyOp or UpsampleToOp or PadToOp or ChunkOp:
                    throw new NotSupportedException($"{where}: convolutionize takes a chain of layers; this net is a graph.");
                case FlattenOp:
                    if (flattened is not null) throw new NotSupportedException($"{where}: a second Flatten.");
                    if (!node.Input.IsFeatureMap) throw new NotSupportedException($"{where}: its input {node.Input} is not a C×H×W map.");
                    flattened = node.Input;
                    continue;
                case LinearOp linear when flattened is { } map:
                {
                    var weights = (TorchSharp.Modules.Linear)modules[node.Path];
                    long kh = firstLinear ? map.Height : 1, kw = firstLinear ? map.Width : 1, cin = firstLinear ? map.Channels : linear.InFeatures;
                    var conv = nn.Conv2d(cin, linear.OutFeatures, (kh, kw), bias: linear.Bias);
                    using (no_grad())
                    {
                        conv.weight!.copy_(weights.weight!.view(linear.OutFeatures, cin, kh, kw));
                        if (linear.Bias) conv.bias!.copy_(weights.bias!);
                    }
                    result.Add(conv);
                    firstLinear = false;
                    continue;
                }
                case ActivationOp or DropoutOp when flattened is not null:
                    result.Add((nn.Module<Tensor, Tensor>)modules[node.Path]);
                    continue;
            }
            if (flattened is not null)
                throw new NotSupportedException($"{where}: after Flatten only Linear layers, activations and dropout have a convolutional twin.");
            if (node.Path.Length == 0 || !modules.TryGetValue(node.Path, out var module) || module is not nn.Module<Tensor, Tensor> layer)
                throw new NotSupportedException($"{where}: no module to carry over.");
            result.Add(layer);
        }
        if (flattened is null || firstLinear)
            throw new NotSupportedException($"{type.Name}: no Flatten followed by a Linear head to convolutionize.");
        return result;
    }

    private void Add(nn.Module<Tensor, Tensor> step)
    {
        register_module(_steps.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), step);
        _steps.Add(step);
    }

    /// <summary>Does nothing: the steps are registered by position as they are added.</summary>
    protected override void RegisterComponents() { }

    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 4 || input.shape[1] != Channels)
            throw new ArgumentException($"{GetName()} expects N×{Channels}×H×W; got [{string.Join(", ", input.shape)}].", nameof(input));
        using var scope = NewDisposeScope();
        var x = input;
        foreach (var step in _steps) x = step.call(x);
        return (ReferenceEquals(x, input) ? x.alias() : x).MoveToOuterDisposeScope();
    }
}
