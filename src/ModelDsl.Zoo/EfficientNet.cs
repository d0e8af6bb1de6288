namespace ModelDsl.Zoo;

/// <summary>torchvision.ops.Conv2dNormActivation with SiLU, as EfficientNet builds it: convolution (no bias), batch norm, SiLU.</summary>
[Block(Params = "Out, Kernel = 1, Stride = 1, Groups = 1")]
[Conv2d(OutChannels = "Out", Kernel = "Kernel", Stride = "Stride", Padding = "(Kernel - 1) / 2", Groups = "Groups", Bias = false, Key = "0")]
[BatchNorm2d(Key = "1"), SiLU(Key = "2")]
public partial class ConvBNSiLU;

/// <summary>torchvision.ops.Conv2dNormActivation without an activation: a 1×1 projection (no bias) and its batch norm.</summary>
[Block(Params = "Out")]
[Conv2d(OutChannels = "Out", Kernel = 1, Bias = false, Key = "0"), BatchNorm2d(Key = "1")]
public partial class ConvBN;

/// <summary>torchvision.ops.SqueezeExcitation as MBConv builds it: SiLU between the two 1×1 convolutions, a sigmoid gate.</summary>
[Block(Params = "Squeeze")]
[Tap("x"), GlobalAvgPool(Key = "avgpool"), Conv2d(OutChannels = "Squeeze", Kernel = 1, Key = "fc1"), SiLU(Key = "activation")]
[Conv2d(OutChannels = "In", Kernel = 1, Key = "fc2"), Sigmoid(Key = "scale_activation"), Multiply("x")]
public partial class SiLUSqueezeExcitation;

/// <summary>
/// MBConv's <c>block</c> Sequential: expand (only when <c>Expand != 1</c>), depthwise, squeeze-and-excitation to a quarter of
/// the block's input channels, project — torchvision's indices shifting where the expansion is absent.
/// </summary>
[Block(Params = "Expand, Kernel, Stride, Out")]
[Use<ConvBNSiLU>("In * Expand", Key = "0", When = "Expand != 1")]
[Use<ConvBNSiLU>("In * Expand, Kernel, Stride, In * Expand", Key = "(Expand != 1)")]
[Use<SiLUSqueezeExcitation>("max(1, In / 4)", Key = "(Expand != 1) + 1")]
[Use<ConvBN>("Out", Key = "(Expand != 1) + 2")]
public partial class MBConvLayers;

/// <summary>
/// torchvision.models.efficientnet.MBConv: the input added back where the stride is 1 and the width is kept, after stochastic
/// depth scaled by the block's place (<c>0.2 · Id / 16</c>, EfficientNet-B0's 16 blocks).
/// </summary>
[Block(Params = "Expand, Kernel, Stride, Out, Id")]
[Tap("x"), Use<MBConvLayers>("Expand, Kernel, Stride, Out", Key = "block")]
[StochasticDepth(P = "0.2 * Id / 16", Key = "stochastic_depth", When = "Stride == 1 && In == Out"), Add("x", When = "Stride == 1 && In == Out")]
public partial class MBConv;

/// <summary>An EfficientNet stage of one MBConv (a Sequential keyed "0"); <c>First</c> is its block's place in the net.</summary>
[Block(Params = "Expand, Kernel, Stride, Out, First")]
[Use<MBConv>("Expand, Kernel, Stride, Out, First", Key = "0")]
public partial class MBConvs1;

/// <summary>An EfficientNet stage of two MBConvs: the first strides and widens, the second keeps both.</summary>
[Block(Params = "Expand, Kernel, Stride, Out, First")]
[Use<MBConv>("Expand, Kernel, Stride, Out, First", Key = "0"), Use<MBConv>("Expand, Kernel, 1, Out, First + 1", Key = "1")]
public partial class MBConvs2;

/// <summary>An EfficientNet stage of three MBConvs.</summary>
[Block(Params = "Expand, Kernel, Stride, Out, First")]
[Use<MBConv>("Expand, Kernel, Stride, Out, First", Key = "0"), Use<MBConv>("Expand, Kernel, 1, Out, First + 1", Key = "1")]
[Use<MBConv>("Expand, Kernel, 1, Out, First + 2", Key = "2")]
public partial class MBConvs3;

/// <summary>An EfficientNet stage of four MBConvs.</summary>
[Block(Params = "Expand, Kernel, Stride, Out, First")]
[Use<MBConv>("Expand, Kernel, Stride, Out, First", Key = "0"), Use<MBConv>("Expand, Kernel, 1, Out, First + 1", Key = "1")]
[Use<MBConv>("Expand, Kernel, 1, Out, First + 2", Key = "2"), Use<MBConv>("Expand, Kernel, 1, Out, First + 3", Key = "3")]
public partial class MBConvs4;

/// <summary>
/// torchvision.models.efficientnet_b0(): 5,288,548 parameters with 1000 classes (<c>numClasses: k</c> for others); any
/// input size. Each stage as torchvision's table writes it: expand ratio, kernel, stride, output channels, first block's place.
/// </summary>
[Model(Channels = 3, Args = "NumClasses = 1000")]
[Stage("features")]
[Use<ConvBNSiLU>("32, 3, 2", Key = "0")]
[Use<MBConvs1>("1, 3, 1, 16, 0", Key = "1"), Use<MBConvs2>("6, 3, 2, 24, 1", Key = "2"), Use<MBConvs2>("6, 5, 2, 40, 3", Key = "3")]
[Use<MBConvs3>("6, 3, 2, 80, 5", Key = "4"), Use<MBConvs3>("6, 5, 1, 112, 8", Key = "5"), Use<MBConvs4>("6, 5, 2, 192, 11", Key = "6")]
[Use<MBConvs1>("6, 3, 1, 320, 15", Key = "7"), Use<ConvBNSiLU>("1280", Key = "8")]
[EndStage, GlobalAvgPool(Name = "avgpool"), Flatten]
[Stage("classifier"), Dropout(0.2, Key = "0"), Linear("NumClasses", Key = "1")]
public partial class EfficientNetB0;
