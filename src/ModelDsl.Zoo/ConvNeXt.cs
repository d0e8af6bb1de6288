namespace ModelDsl.Zoo;

/// <summary>
/// CNBlock's <c>block</c> Sequential: a depthwise 7×7, LayerNorm (eps 1e-6), a Linear to four times the width, GELU, a
/// Linear back — torchvision writes the last four between two Permutes, which hold no weights; here they act on each
/// pixel's channels (<c>PointwiseLinear</c>), at torchvision's indices.
/// </summary>
[Block]
[Conv2d(Kernel = 7, Padding = 3, Groups = "In", Key = "0"), LayerNorm2d(Eps = 1e-6, Key = "2")]
[PointwiseLinear(OutFeatures = "4 * In", Key = "3"), GELU(Key = "4"), PointwiseLinear(OutFeatures = "In", Key = "5")]
public partial class CNBlockLayers;

/// <summary>
/// torchvision.models.convnext.CNBlock: the block's layers, the bare <c>layer_scale</c> parameter (1e-6), stochastic depth
/// scaled by the block's place (<c>0.1 · Id / 17</c>, ConvNeXt-T's 18 blocks), the input added back.
/// </summary>
[Block(Params = "Id")]
[Tap("x"), Use<CNBlockLayers>(Key = "block"), LayerScale(1e-6, Key = "layer_scale"), StochasticDepth(P = "0.1 * Id / 17", Key = "stochastic_depth"), Add("x")]
public partial class CNBlock;

/// <summary>A ConvNeXt stage of three CNBlocks (a Sequential keyed "0"…"2"); <c>First</c> is its first block's place in the net.</summary>
[Block(Params = "First")]
[Use<CNBlock>("First", Key = "0"), Use<CNBlock>("First + 1", Key = "1"), Use<CNBlock>("First + 2", Key = "2")]
public partial class CNBlocks3;

/// <summary>ConvNeXt-T's third stage: nine CNBlocks.</summary>
[Block(Params = "First")]
[Use<CNBlock>("First", Key = "0"), Use<CNBlock>("First + 1", Key = "1"), Use<CNBlock>("First + 2", Key = "2")]
[Use<CNBlock>("First + 3", Key = "3"), Use<CNBlock>("First + 4", Key = "4"), Use<CNBlock>("First + 5", Key = "5")]
[Use<CNBlock>("First + 6", Key = "6"), Use<CNBlock>("First + 7", Key = "7"), Use<CNBlock>("First + 8", Key = "8")]
public partial class CNBlocks9;

/// <summary>ConvNeXt's stem (torchvision's Conv2dNormActivation without activation): a 4×4 patchify convolution with bias, LayerNorm2d.</summary>
[Block(Params = "Out")]
[Conv2d(OutChannels = "Out", Kernel = 4, Stride = 4, Key = "0"), LayerNorm2d(Eps = 1e-6, Key = "1")]
public partial class ConvNeXtStem;

/// <summary>ConvNeXt's downsampling between stages: LayerNorm2d, then a 2×2 convolution of stride 2.</summary>
[Block(Params = "Out")]
[LayerNorm2d(Eps = 1e-6, Key = "0"), Conv2d(OutChannels = "Out", Kernel = 2, Stride = 2, Key = "1")]
public partial class ConvNeXtDownsample;

/// <summary>
/// torchvision.models.convnext_tiny(): 28,589,128 parameters with 1000 classes (<c>numClasses: k</c> for others); widths
/// 96, 192, 384, 768 with 3, 3, 9, 3 blocks; any input size from 32×32 up.
/// </summary>
[Model(Channels = 3, Args = "NumClasses = 1000")]
[Stage("features")]
[Use<ConvNeXtStem>("96", Key = "0"), Use<CNBlocks3>("0", Key = "1"), Use<ConvNeXtDownsample>("192", Key = "2")]
[Use<CNBlocks3>("3", Key = "3"), Use<ConvNeXtDownsample>("384", Key = "4")]
[Use<CNBlocks9>("6", Key = "5"), Use<ConvNeXtDownsample>("768", Key = "6"), Use<CNBlocks3>("15", Key = "7")]
[EndStage, GlobalAvgPool(Name = "avgpool")]
[Stage("classifier"), LayerNorm2d(Eps = 1e-6, Key = "0"), Flatten(Key = "1"), Linear("NumClasses", Key = "2")]
public partial class ConvNeXtTiny;
