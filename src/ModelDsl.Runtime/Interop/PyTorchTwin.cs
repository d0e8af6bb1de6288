using System.Globalization;
using System.Text;

namespace ModelDsl.Interop;

/// <summary>
/// The PyTorch twin of a generated model: Python source defining the same network with <c>torch.nn</c>,
/// registered so that its state_dict names equal the TorchSharp module's (a stage is a registered
/// <c>nn.Sequential</c>, a block use a module holding its layers, its <c>Shortcut</c> and its <c>Activation</c>).
/// Weights saved from .NET load into it, and back. Generated models expose it as <c>PyTorchSource</c>.
/// </summary>
public static class PyTorchTwin
{
    private const string PreambleText = """
        import torch
        from collections import OrderedDict
        from torch import nn


        class _Block(nn.Module):
            # A ModelDsl [Block] use: its steps in order — (name, module) runs a layer or a block; a graph block's
            # ("@tap", t), ("@from", t), ("@add", t, name, projection or None), ("@cat", t, tap_first), ("@mul", t) and
            # ("@up", t or None for the block's input, mode, align_corners) and ("@pad", t or None, mode, value) name, restart from, merge, resize and pad to its own taps. A residual block adds its input (through Shortcut when the
            # model needs a projection there), then applies Activation.
            def __init__(self, steps, residual, shortcut=None, activation=None):
                super().__init__()
                self._steps = []
                for step in steps:
                    if step[0] == "@add" and step[3] is not None:
                        self.add_module(step[2], step[3])
                    if not step[0].startswith("@"):
                        self.add_module(step[0], step[1])
                    self._steps.append(step[:3] if step[0] == "@add" else step if step[0].startswith("@") else (step[0],))
                self._residual = residual
                if shortcut is not None:
                    self.add_module("Shortcut", shortcut)
                if activation is not None:
                    self.add_module("Activation", activation)

            def forward(self, x):
                y, taps = x, {}
                for step in self._steps:
                    kind = step[0]
                    if kind == "@tap":
                        taps[step[1]] = y
                    elif kind == "@chunk":
                        taps[step[1]] = y.chunk(step[3], dim=1)[step[2]]
                    elif kind == "@from":
                        y = taps[step[1]]
                    elif kind == "@add":
                        t = taps[step[1]]
                        y = y + (self._modules[step[2]](t) if step[2] in self._modules else t)
                    elif kind == "@cat":
                        y = torch.cat([taps[step[1]], y] if step[2] else [y, taps[step[1]]], dim=1)
                    elif kind == "@mul":
                        y = y * taps[step[1]]
                    elif kind == "@pad":
                        ref = x if step[1] is None else taps[step[1]]
                        y = _pad_to(y, ref, step[2], step[3])
                    elif kind == "@up":
                        ref = x if step[1] is None else taps[step[1]]
                        y = nn.functional.interpolate(y, size=ref.shape[-2:], mode=step[2], align_corners=step[3])
                    else:
                        y = self._modules[kind](y)
                if not self._residual:
                    return y
                y = y + (self._modules["Shortcut"](x) if "Shortcut" in self._modules else x)
                return self._modules["Activation"](y) if "Activation" in self._modules else y


        def _pad_to(x, ref, mode, value):
            # The U-Net pad-to-match: the difference split, the extra row and column after.
            dh, dw = ref.shape[-2] - x.shape[-2], ref.shape[-1] - x.shape[-1]
            return nn.functional.pad(x, [dw // 2, dw - dw // 2, dh // 2, dh - dh // 2], mode=mode, value=value if mode == "constant" else None)


        class _Reshape(nn.Module):
            # ModelDsl [Reshape(...)]: the per-sample dimensions, the batch kept first (reshape: a permuted input is not contiguous).
            def __init__(self, *dims):
                super().__init__()
                self.dims = dims

            def forward(self, x):
                return x.reshape(x.shape[0], *self.dims)


        class _Permute(nn.Module):
            # ModelDsl [Permute(...)]: the per-sample order, the batch kept first.
            def __init__(self, *dims):
                super().__init__()
                self.order = (0,) + tuple(d + 1 for d in dims)

            def forward(self, x):
                return x.permute(*self.order)


        class _LayerNorm2d(nn.LayerNorm):
            # torchvision.models.convnext.LayerNorm2d: nn.LayerNorm over the channels of each pixel (channels first).
            def forward(self, x):
                x = x.permute(0, 2, 3, 1)
                x = nn.functional.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
                return x.permute(0, 3, 1, 2)


        class _LayerScale(nn.Module):
            # ConvNeXt's layer_scale: the map times a C×1×1 parameter, saved under the module's own key (torchvision's
            # CNBlock holds it as a bare parameter, "….layer_scale", not "….layer_scale.weight").
            def __init__(self, channels, init=1e-6):
                super().__init__()
                self.weight = nn.Parameter(torch.full((channels, 1, 1), float(init)))

            def forward(self, x):
                return x * self.weight

            def _save_to_state_dict(self, destination, prefix, keep_vars):
                destination[prefix[:-1]] = self.weight if keep_vars else self.weight.detach()


        def _load_bare_layer_scales(root):
            # PyTorch hands each child only the keys below it ("….layer_scale.*"), so the twin's root reads each
            # _LayerScale's bare key as that module's weight before the children load.
            def hook(state_dict, prefix, *args):
                for name, m in root.named_modules():
                    if isinstance(m, _LayerScale) and prefix + name in state_dict:
                        state_dict[prefix + name + ".weight"] = state_dict.pop(prefix + name)
            root._register_load_state_dict_pre_hook(hook)


        class _PointwiseLinear(nn.Linear):
            # nn.Linear over each pixel's channels: ConvNeXt's Permute([0, 2, 3, 1]), Linear, Permute([0, 3, 1, 2]).
            def forward(self, x):
                return super().forward(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


        class _StochasticDepth(nn.Module):
            # torchvision.ops.StochasticDepth: in training, each sample's ("row") or the batch's input dropped with
            # probability p, survivors scaled by 1/(1 - p); the identity in eval mode.
            def __init__(self, p, mode):
                super().__init__()
                self.p, self.mode = p, mode

            def forward(self, x):
                if not self.training or self.p == 0.0:
                    return x
                shape = [x.shape[0]] + [1] * (x.dim() - 1) if self.mode == "row" else [1] * x.dim()
                keep = torch.empty(shape, dtype=x.dtype, device=x.device).bernoulli_(1.0 - self.p)
                return x * keep.div_(1.0 - self.p)


        class _Wrapped(nn.Module):
            # ModelDsl.SamePaddedConv2d: an even-kernel 'same' conv with a padding mode, its conv registered as "conv".
            def __init__(self, conv):
                super().__init__()
                self.conv = conv

            def forward(self, x):
                return self.conv(x)

        """;

    /// <summary>The imports and the <c>_Block</c> helper every twin class needs; a file holding many twins (<see cref="ClassSource"/>) starts with it once.</summary>
    public static string Preamble { get; } = PreambleText.Replace("\r\n", "\n");

    /// <summary>The Python module text: the preamble (imports, the block helper) and one class named after the model.</summary>
    public static string Source(ModelGraph graph)
    {
        var py = new StringBuilder();
        py.Append("# PyTorch twin of ").Append(graph.Name).Append(", generated by ModelDsl: the same layers under the same state_dict names.\n");
        py.Append(Preamble).Append('\n');
        py.Append(ClassSource(graph));
        return py.ToString();
    }

    /// <summary>Only the model's class (it needs the preamble's imports and <c>_Block</c>): for one file holding many twins.</summary>
    public static string ClassSource(ModelGraph graph)
    {
        var py = new StringBuilder();
        string input = graph.AnySize ? $"N×{graph.Input.Channels}×H×W" : "N×" + graph.Input;
        py.Append($"class {graph.Name}(nn.Module):\n");
        // A net of any size: a map's size follows the input (C×…); a flat output (after a pool and Flatten) does not.
        string output = graph.AnySize && graph.Output.IsFeatureMap ? graph.Output.Channels + "×…" : graph.Output.ToString();
        py.Append($"    \"\"\"{graph.Name}: {input} → N×{output}.\"\"\"\n\n");
        py.Append("    def __init__(self):\n        super().__init__()\n");
        var stagesDone = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes.Where(n => n.Path.Length > 0))
        {
            int dot = node.Path.IndexOf('.');
            if (dot < 0) { py.Append($"        self.add_module({Str(node.Path)}, {Module(graph, node)})\n"); continue; }
            // A stage: one Sequential holding its layers, registered where its first layer is (as the generated constructor does).
            string stage = node.Path.Substring(0, dot);
            if (!stagesDone.Add(stage)) continue;
            var members = graph.Nodes.Where(n => n.Path.StartsWith(stage + ".", StringComparison.Ordinal) && n.Path.IndexOf('.') == dot && n.Path.Substring(0, dot) == stage);
            py.Append($"        self.add_module({Str(stage)}, nn.Sequential(OrderedDict([\n");
            foreach (var member in members) py.Append($"            ({Str(Leaf(member))}, {Module(graph, member)}),\n");
            py.Append("        ])))\n");
        }
        if (!graph.Nodes.Any(n => n.Path.Length > 0)) py.Append("        pass\n");
        if (graph.AllNodes.Any(n => n.Op is LayerScaleOp)) py.Append("        _load_bare_layer_scales(self)\n");
        py.Append("\n    def forward(self, x):\n");
        // Upsample(SizeOf = "input") resizes to the model's input: kept under the name a tap "input" would have.
        if (graph.Nodes.Any(n => (n.Op is UpsampleToOp u && IsInput(u.Tap, "input", graph.Nodes)) || (n.Op is PadToOp p && IsInput(p.Tap, "input", graph.Nodes))))
            py.Append($"        {TapVariable("input")} = x\n");
        // A model with heads returns a dict of them, in declaration order (the .NET output record's properties).
        string? head = null;
        bool heads = graph.Nodes.Any(n => n.Op is HeadOp);
        if (heads) py.Append("        heads = {}\n");
        foreach (var node in graph.Nodes)
        {
            if (node.Op is HeadOp h)
            {
                if (head is not null) py.Append($"        heads[{Str(head)}] = x\n");
                head = h.Head;
            }
            py.Append("        ").Append(Forward(node)).Append('\n');
        }
        if (head is not null) py.Append($"        heads[{Str(head)}] = x\n");
        py.Append(heads ? "        return heads\n" : "        return x\n");
        return py.ToString();
    }

    private static string Forward(GraphNode node) => node.Op switch
    {
        TapOp op => $"{TapVariable(op.Tap)} = x",
        HeadOp op => $"x = {TapVariable(op.Tap)}",
        FromOp op => $"x = {TapVariable(op.Tap)}",
        AddOp { Projected: true } op => $"x = x + {Access(node.Path)}({TapVariable(op.Tap)})",
        AddOp op => $"x = x + {TapVariable(op.Tap)}",
        ConcatOp { TapFirst: true } op => $"x = torch.cat([{TapVariable(op.Tap)}, x], dim=1)",
        ConcatOp op => $"x = torch.cat([x, {TapVariable(op.Tap)}], dim=1)",
        MultiplyOp op => $"x = x * {TapVariable(op.Tap)}",
        ChunkOp op => $"{TapVariable(op.Tap)} = x.chunk({op.Parts}, dim=1)[{op.Index}]",
        PadToOp op => $"x = _pad_to(x, {TapVariable(op.Tap)}, {Str(op.Mode)}, {Num(op.Value)})",
        UpsampleToOp op => $"x = nn.functional.interpolate(x, size={TapVariable(op.Tap)}.shape[-2:], mode={Str(Mode(op.Mode))}, align_corners={(op.Mode == UpsampleMode.Nearest ? "None" : Bool(op.AlignCorners))})",
        _ => $"x = {Access(node.Path)}(x)",
    };

    /// <summary>
    /// The Python expression of the submodule at a state_dict path: attribute access for identifier segments
    /// (<c>self.Features.Conv1</c>), <c>_modules["0"]</c> for the others (a stated Key such as torchvision's "0").
    /// </summary>
    private static string Access(string path)
        => "self" + string.Concat(path.Split('.').Select(s => IsPythonIdentifier(s) ? "." + s : $"._modules[{Str(s)}]"));

    private static bool IsPythonIdentifier(string s)
        => s.Length > 0 && (char.IsLetter(s[0]) || s[0] == '_') && s.All(c => c < 128 && (char.IsLetterOrDigit(c) || c == '_')) && !PythonKeywords.Contains(s);

    private static readonly HashSet<string> PythonKeywords = new(StringComparer.Ordinal)
    {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except",
        "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    };

    /// <summary>A node's registration name in its parent: the last segment of its state_dict path.</summary>
    private static string Leaf(GraphNode node) => node.Path.Substring(node.Path.LastIndexOf('.') + 1);

    private static string Mode(UpsampleMode mode) => mode.ToString().ToLowerInvariant();

    /// <summary>Whether an UpsampleTo's tap is the (block's) input: its "input" name where no tap of these nodes has it.</summary>
    private static bool IsInput(string tap, string inputName, IReadOnlyList<GraphNode> nodes)
        => tap == inputName && !nodes.Any(n => n.Op is TapOp t && t.Tap == tap);

    private static string TapVariable(string tap)
        => "tap_" + new string(tap.Select(c => char.IsLetterOrDigit(c) && c < 128 ? c : '_').ToArray()) + "_" + ((uint)StableHash(tap)).ToString(CultureInfo.InvariantCulture);

    // Two tap names that differ only in characters Python identifiers cannot hold still get two variables.
    private static int StableHash(string s)
    {
        unchecked
        {
            int h = 17;
            foreach (char c in s) h = h * 31 + c;
            return h;
        }
    }

    /// <summary>The torch.nn constructor of one node (a block use or projecting Add builds its children too).</summary>
    private static string Module(ModelGraph graph, GraphNode node)
    {
        // Channels or features where the layer has them; Reshape and Permute (the only layers on other ranks) need neither.
        long cin = node.Input.IsFlat ? node.Input.Features : node.Input.IsFeatureMap ? node.Input.Channels : 0;
        long cout = node.Output.IsFlat ? node.Output.Features : node.Output.IsFeatureMap ? node.Output.Channels : 0;
        return node.Op switch
        {
            Conv2dOp { TensorPrefix: "conv." } op => $"_Wrapped({Module(graph, node with { Op = op with { TensorPrefix = "" } })})",
            Conv2dOp op => $"nn.Conv2d({cin}, {cout}, kernel_size={Pair(op.KernelH, op.KernelW)}, stride={Pair(op.StrideH, op.StrideW)}, "
                + $"padding={(op.PadTop == op.PadBottom && op.PadLeft == op.PadRight ? Pair(op.PadTop, op.PadLeft) : "'same'")}, dilation={Pair(op.DilationH, op.DilationW)}, "
                + $"groups={op.Groups}, bias={Bool(op.Bias)}, padding_mode={Str(op.PaddingMode.ToString().ToLowerInvariant())})",
            ConvTranspose2dOp op => $"nn.ConvTranspose2d({cin}, {cout}, kernel_size={Pair(op.KernelH, op.KernelW)}, stride={Pair(op.StrideH, op.StrideW)}, "
                + $"padding={Pair(op.PaddingH, op.PaddingW)}, output_padding={Pair(op.OutputPaddingH, op.OutputPaddingW)}, groups={op.Groups}, bias={Bool(op.Bias)}, dilation={Pair(op.DilationH, op.DilationW)})",
            Pool2dOp { Max: true } op => $"nn.MaxPool2d(kernel_size={Pair(op.KernelH, op.KernelW)}, stride={Pair(op.StrideH, op.StrideW)}, padding={Pair(op.PaddingH, op.PaddingW)}, dilation={Pair(op.DilationH, op.DilationW)}, ceil_mode={Bool(op.CeilMode)})",
            Pool2dOp op => $"nn.AvgPool2d(kernel_size={Pair(op.KernelH, op.KernelW)}, stride={Pair(op.StrideH, op.StrideW)}, padding={Pair(op.PaddingH, op.PaddingW)}, ceil_mode={Bool(op.CeilMode)}, count_include_pad={Bool(op.CountIncludePad)})",
            AdaptiveAvgPool2dOp op => $"nn.AdaptiveAvgPool2d({Pair(op.Height, op.Width)})",
            BatchNormOp op => $"nn.BatchNorm{(node.Input.IsFlat ? "1d" : "2d")}({cin}, eps={Num(op.Eps)}, momentum={Num(op.Momentum)}, affine={Bool(op.Affine)}, track_running_stats={Bool(op.TrackRunningStats)})",
            GroupNormOp op => $"nn.GroupNorm({op.Groups}, {cin}, eps={Num(op.Eps)}, affine={Bool(op.Affine)})",
            InstanceNormOp op => $"nn.InstanceNorm2d({cin}, eps={Num(op.Eps)}, momentum={Num(op.Momentum)}, affine={Bool(op.Affine)}, track_running_stats={Bool(op.TrackRunningStats)})",
            LayerNorm2dOp op => $"_LayerNorm2d({cin}, eps={Num(op.Eps)}, elementwise_affine={Bool(op.Affine)})",
            PadOp { Mode: "constant" } op => $"nn.ConstantPad2d(({op.Left}, {op.Right}, {op.Top}, {op.Bottom}), {Num(op.Value)})",
            PadOp { Mode: "reflect" } op => $"nn.ReflectionPad2d(({op.Left}, {op.Right}, {op.Top}, {op.Bottom}))",
            PadOp op => $"nn.ReplicationPad2d(({op.Left}, {op.Right}, {op.Top}, {op.Bottom}))",
            DropoutOp op => $"nn.Dropout{(op.Channelwise ? "2d" : "")}(p={Num(op.P)})",
            PReluOp op => $"nn.PReLU(num_parameters={op.Count})",
            ChannelShuffleOp op => $"nn.ChannelShuffle({op.Groups})",
            LayerScaleOp op => $"_LayerScale({op.Channels})",
            PointwiseLinearOp op => $"_PointwiseLinear({op.InFeatures}, {op.OutFeatures}, bias={Bool(op.Bias)})",
            StochasticDepthOp op => $"_StochasticDepth({Num(op.P)}, {Str(op.Row ? "row" : "batch")})",
            FlattenOp => "nn.Flatten()",
            ReshapeOp op => $"_Reshape({string.Join(", ", op.Dims)})",
            PermuteOp op => $"_Permute({string.Join(", ", op.Dims)})",
            LinearOp op => $"nn.Linear({op.InFeatures}, {op.OutFeatures}, bias={Bool(op.Bias)})",
            UpsampleOp op => Upsample(op),
            ActivationOp op => Activation(graph, node, op),
            SoftmaxOp op => $"nn.{(op.Log ? "LogSoftmax" : "Softmax")}(dim={op.Dim})",
            AddOp { Projected: true } => $"nn.Sequential(OrderedDict([{string.Join(", ", node.Inner.Select(c => $"({Str(Leaf(c))}, {Module(graph, c)})"))}]))",
            BlockOp op => Block(graph, node, op),
            UnsupportedOp op => throw new NotSupportedException($"{graph.Name}: layer {node.Name} has no PyTorch twin: {op.Kind} has no translation yet."),
            _ => throw new NotSupportedException($"{graph.Name}: layer {node.Name} has no PyTorch twin: no translation for {node.Op.GetType().Name}."),
        };
    }

    private static string Block(ModelGraph graph, GraphNode node, BlockOp op)
    {
        var children = node.Inner;
        int layers = op.Projected ? children.Count - 2 : children.Count;
        string Step(GraphNode c) => c.Op switch
        {
            TapOp t => $"(\"@tap\", {Str(t.Tap)})",
            FromOp f => $"(\"@from\", {Str(f.Tap)})",
            AddOp { Projected: true } a => $"(\"@add\", {Str(a.Tap)}, {Str(Leaf(c))}, {Module(graph, c)})",
            AddOp a => $"(\"@add\", {Str(a.Tap)}, {Str(Leaf(c))}, None)",
            ConcatOp k => $"(\"@cat\", {Str(k.Tap)}, {Bool(k.TapFirst)})",
            MultiplyOp m => $"(\"@mul\", {Str(m.Tap)})",
            ChunkOp k => $"(\"@chunk\", {Str(k.Tap)}, {k.Index}, {k.Parts})",
            PadToOp p => $"(\"@pad\", {(IsInput(p.Tap, node.Name + "/input", children) ? "None" : Str(p.Tap))}, {Str(p.Mode)}, {Num(p.Value)})",
            UpsampleToOp u => $"(\"@up\", {(IsInput(u.Tap, node.Name + "/input", children) ? "None" : Str(u.Tap))}, {Str(Mode(u.Mode))}, {(u.Mode == UpsampleMode.Nearest ? "None" : Bool(u.AlignCorners))})",
            _ => $"({Str(Leaf(c))}, {Module(graph, c)})",
        };
        string list = string.Join(", ", children.Take(layers).Select(Step));
        string shortcut = op.Projected
            ? $"nn.Sequential(OrderedDict([{string.Join(", ", children.Skip(layers).Select(c => $"({Str(Leaf(c))}, {Module(graph, c)})"))}]))"
            : "None";
        string then = op.Then is { } a ? Activation(graph, node, a) : "None";
        return $"_Block([{list}], residual={Bool(op.Residual)}, shortcut={shortcut}, activation={then})";
    }

    private static string Upsample(UpsampleOp op)
    {
        string mode = op.Mode.ToString().ToLowerInvariant();
        string align = op.Mode == UpsampleMode.Nearest ? "" : $", align_corners={Bool(op.AlignCorners)}";
        return op.Scale > 0
            ? $"nn.Upsample(scale_factor={Num(op.Scale)}, mode={Str(mode)}{align})"
            : $"nn.Upsample(size={Pair(op.Height, op.Width)}, mode={Str(mode)}{align})";
    }

    private static string Activation(ModelGraph graph, GraphNode node, ActivationOp op) => op.Kind switch
    {
        "ELU" => $"nn.ELU(alpha={Num(op.Argument)})",
        "LeakyReLU" => $"nn.LeakyReLU(negative_slope={Num(op.Argument)})",
        "Hardtanh" => $"nn.Hardtanh(min_val={Num(op.Argument)}, max_val={Num(op.Argument2)})",
        "Softplus" => $"nn.Softplus(beta={Num(op.Argument)}, threshold={Num(op.Argument2)})",
        "ReLU" or "Sigmoid" or "Tanh" or "GELU" or "SiLU" or "Identity" or "ReLU6" or "Hardswish" or "Hardsigmoid" or "Mish" => $"nn.{op.Kind}()",
        _ => throw new NotSupportedException($"{graph.Name}: layer {node.Name} has no PyTorch twin: no translation for the activation {op.Kind}."),
    };

    private static string Pair(long h, long w) => $"({h}, {w})";

    private static string Bool(bool v) => v ? "True" : "False";

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Str(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
