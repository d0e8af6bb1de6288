namespace ModelDsl.Interop;

// What each node of a ModelGraph computes, with the arguments as the generator's layer catalog
// (src/ModelDsl.Generator/Layers) read and checked them: the generator writes these records, the
// exporters translate them. Sizes are per axis (H, W).

/// <summary>What one node of a <see cref="ModelGraph"/> computes.</summary>
public abstract record LayerOp;

/// <summary>
/// <c>nn.Conv2d</c>. Padding is explicit per side: 'same' is resolved to PyTorch's split (the extra row and column at
/// the bottom and right). <paramref name="TensorPrefix"/>: where the weight and bias sit inside the layer's module
/// ("conv." for <c>ModelDsl.SamePaddedConv2d</c>, which holds its conv as a child).
/// </summary>
public sealed record Conv2dOp(long KernelH, long KernelW, long StrideH, long StrideW, long PadTop, long PadLeft, long PadBottom, long PadRight,
    long DilationH, long DilationW, long Groups, bool Bias, PaddingMode PaddingMode, string TensorPrefix = "") : LayerOp;

/// <summary><c>nn.ConvTranspose2d</c> with output padding.</summary>
public sealed record ConvTranspose2dOp(long KernelH, long KernelW, long StrideH, long StrideW, long PaddingH, long PaddingW,
    long OutputPaddingH, long OutputPaddingW, long DilationH, long DilationW, long Groups, bool Bias) : LayerOp;

/// <summary><c>nn.MaxPool2d</c> (<paramref name="Max"/>) or <c>nn.AvgPool2d</c>.</summary>
public sealed record Pool2dOp(bool Max, long KernelH, long KernelW, long StrideH, long StrideW, long PaddingH, long PaddingW,
    long DilationH, long DilationW, bool CeilMode, bool CountIncludePad) : LayerOp;

/// <summary><c>nn.AdaptiveAvgPool2d</c> (GlobalAvgPool is 1×1).</summary>
public sealed record AdaptiveAvgPool2dOp(long Height, long Width) : LayerOp;

/// <summary><c>nn.BatchNorm2d</c> / <c>nn.BatchNorm1d</c>; in eval mode it uses its running statistics when it tracks them, else the batch's.</summary>
public sealed record BatchNormOp(double Eps, double Momentum, bool Affine, bool TrackRunningStats) : LayerOp;

/// <summary><c>nn.GroupNorm</c>: <paramref name="Groups"/> groups of channels, each normalised over its channels and the map (batch statistics never used).</summary>
public sealed record GroupNormOp(long Groups, double Eps, bool Affine) : LayerOp;

/// <summary><c>nn.InstanceNorm2d</c>: each channel of each sample over its map; in eval mode the running statistics when it tracks them.</summary>
public sealed record InstanceNormOp(double Eps, double Momentum, bool Affine, bool TrackRunningStats) : LayerOp;

/// <summary>torchvision's <c>LayerNorm2d</c>: <c>nn.LayerNorm</c> over the channels of each pixel (channels first).</summary>
public sealed record LayerNorm2dOp(double Eps, bool Affine) : LayerOp;

/// <summary>ConvNeXt's layer scale: the map times a learnt C×1×1 tensor, kept under the layer's own key (torchvision's <c>layer_scale</c>).</summary>
public sealed record LayerScaleOp(long Channels) : LayerOp;

/// <summary>ConvNeXt's <c>nn.Linear</c> over each pixel's channels (between its Permutes): out×in weight, optional bias.</summary>
public sealed record PointwiseLinearOp(long InFeatures, long OutFeatures, bool Bias) : LayerOp;

/// <summary>
/// <c>nn.ZeroPad2d</c> / <c>ConstantPad2d</c> (<paramref name="Mode"/> "constant", filled with <paramref name="Value"/>),
/// <c>ReflectionPad2d</c> ("reflect") or <c>ReplicationPad2d</c> ("replicate"); sides in PyTorch's order.
/// </summary>
public sealed record PadOp(string Mode, long Left, long Right, long Top, long Bottom, double Value = 0) : LayerOp;

/// <summary>torchvision's <c>StochasticDepth</c> (<paramref name="Row"/>: per sample, else the batch): the identity in eval mode.</summary>
public sealed record StochasticDepthOp(double P, bool Row) : LayerOp;

/// <summary><c>nn.Dropout</c> / <c>nn.Dropout2d</c>: the identity in eval mode.</summary>
public sealed record DropoutOp(bool Channelwise, double P) : LayerOp;

/// <summary><c>nn.Flatten()</c>: N×C×H×W → N×(C·H·W).</summary>
public sealed record FlattenOp : LayerOp;

/// <summary><c>[Reshape(…)]</c>: <c>x.reshape(N, *Dims)</c>, the per-sample dimensions resolved (no -1 left).</summary>
public sealed record ReshapeOp(long[] Dims) : LayerOp;

/// <summary><c>[Permute(…)]</c>: <c>x.permute(0, *(d + 1 for d in Dims))</c>, the per-sample order (the batch stays first).</summary>
public sealed record PermuteOp(long[] Dims) : LayerOp;

/// <summary><c>nn.Linear</c>.</summary>
public sealed record LinearOp(long InFeatures, long OutFeatures, bool Bias) : LayerOp;

/// <summary><c>nn.Upsample</c> by <paramref name="Scale"/> (when positive) or to <paramref name="Height"/>×<paramref name="Width"/>.</summary>
public sealed record UpsampleOp(double Scale, long Height, long Width, UpsampleMode Mode, bool AlignCorners) : LayerOp;

/// <summary>
/// An element-wise activation: the PyTorch module's name ("ReLU", "ELU", "LeakyReLU", "Hardtanh", …) and its numbers in
/// PyTorch's constructor order (ELU's alpha, LeakyReLU's slope, Hardtanh's min and max, Softplus's beta and threshold; 0 otherwise).
/// </summary>
public sealed record ActivationOp(string Kind, double Argument = 0, double Argument2 = 0) : LayerOp;

/// <summary><c>nn.PReLU</c> with <paramref name="Count"/> learnt slopes (1, or one per channel); its tensor is "weight".</summary>
public sealed record PReluOp(long Count) : LayerOp;

/// <summary><c>nn.Softmax</c> or <c>nn.LogSoftmax</c> over <paramref name="Dim"/> (of the batched tensor).</summary>
public sealed record SoftmaxOp(bool Log, long Dim) : LayerOp;

/// <summary>A layer the generator has no export for yet: exporters refuse it, naming the layer and its kind.</summary>
public sealed record UnsupportedOp(string Kind) : LayerOp;

/// <summary><c>[Head("Name", From = "tap")]</c>: the previous head (if any) ends; the chain continues from the tap, and its last value is the output named <paramref name="Head"/>.</summary>
public sealed record HeadOp(string Head, string Tap) : LayerOp;

/// <summary><c>[Tap("name")]</c>: names the current tensor for a later merge.</summary>
public sealed record TapOp(string Tap) : LayerOp;

/// <summary><c>[From("tap")]</c>: the chain continues from the tap (a parallel branch starts).</summary>
public sealed record FromOp(string Tap) : LayerOp;

/// <summary><c>[Add("tap")]</c>: x + tap; with <paramref name="Projected"/>, x + BatchNorm(Conv1×1(tap)) (the node's two children).</summary>
public sealed record AddOp(string Tap, bool Projected) : LayerOp;

/// <summary>
/// <c>[Upsample(SizeOf = "tap")]</c>: <c>F.interpolate(x, size=tap.shape[-2:], mode=…)</c>; a <paramref name="Tap"/> of "input"
/// (or "Block1/input" in a block use) where no tap has that name is the model's (the block's) input.
/// </summary>
public sealed record UpsampleToOp(string Tap, UpsampleMode Mode, bool AlignCorners) : LayerOp;

/// <summary>A padding layer's <c>SizeOf = "…"</c>: padded to the tap's height and width (the difference split, the extra after), <paramref name="Mode"/> "constant", "reflect" or "replicate".</summary>
public sealed record PadToOp(string Tap, string Mode, double Value) : LayerOp;

/// <summary>One part of <c>[Chunk(…)]</c>: <c>tap = x.chunk(Parts, dim=1)[Index]</c>; the chain continues from x.</summary>
public sealed record ChunkOp(string Tap, long Index, long Parts) : LayerOp;

/// <summary><c>nn.ChannelShuffle(Groups)</c>.</summary>
public sealed record ChannelShuffleOp(long Groups) : LayerOp;

/// <summary><c>[Multiply("tap")]</c>: <c>x * tap</c>, broadcasting a size of 1.</summary>
public sealed record MultiplyOp(string Tap) : LayerOp;

/// <summary><c>[Concat("tap")]</c>: <c>torch.cat([x, tap], 1)</c>, or <c>torch.cat([tap, x], 1)</c> when <paramref name="TapFirst"/>.</summary>
public sealed record ConcatOp(string Tap, bool TapFirst = false) : LayerOp;

/// <summary>
/// A <c>[Use&lt;Block&gt;]</c>: the node's children run in order; a residual block adds its input (through the
/// last two children, a 1×1 conv and a batch norm, when <paramref name="Projected"/>) and then applies <paramref name="Then"/> if given.
/// </summary>
public sealed record BlockOp(string Block, bool Residual, bool Projected, ActivationOp? Then) : LayerOp;
