namespace ModelDsl.Zoo;

/// <summary>
/// torchvision.ops.Conv2dNormActivation as MobileNetV3 builds it: convolution (no bias), batch norm (eps 0.001, momentum 0.01),
/// then ReLU, or Hardswish where <c>Hs</c> is 1 (activations hold no weights, so neither needs torchvision's index).
/// </summary>
[Block(Params = "Out, Kernel = 1, Stride = 1, Groups = 1, Hs = 1, Dilation = 1")]
[Conv2d(OutChannels = "Out", Kernel = "Kernel", Stride = "Stride", Padding = "(Kernel - 1) / 2 * Dilation", Dilation = "Dilation", Groups = "Groups", Bias = false, Key = "0")]
[BatchNorm2d(Eps = 0.001, Momentum = 0.01, Key = "1"), ReLU(When = "Hs == 0"), Hardswish(When = "Hs == 1")]
public partial class ConvBNActivation;

/// <summary>MobileNetV3's projection: a 1×1 convolution (no bias) and its batch norm (eps 0.001, momentum 0.01), no activation.</summary>
[Block(Params = "Out")]
[Conv2d(OutChannels = "Out", Kernel = 1, Bias = false, Key = "0"), BatchNorm2d(Eps = 0.001, Momentum = 0.01, Key = "1")]
public partial class ConvBNProjection;

/// <summary>torchvision.ops.SqueezeExcitation as MobileNetV3 builds it: ReLU between the 1×1 convolutions, a hard-sigmoid gate.</summary>
[Block(Params = "Squeeze")]
[Tap("x"), GlobalAvgPool(Key = "avgpool"), Conv2d(OutChannels = "Squeeze", Kernel = 1, Key = "fc1"), ReLU(Key = "activation")]
[Conv2d(OutChannels = "In", Kernel = 1, Key = "fc2"), Hardsigmoid(Key = "scale_activation"), Multiply("x")]
public partial class HardSqueezeExcitation;

/// <summary>
/// The <c>block</c> Sequential of MobileNetV3's inverted residual: expand (where the expanded width differs from the input's),
/// depthwise (dilated in the segmentation backbone), squeeze-and-excitation where <c>Se</c> is 1, project.
/// </summary>
[Block(Params = "Kernel, Expanded, Out, Se, Hs, Stride, Dilation = 1")]
[Use<ConvBNActivation>("Expanded, 1, 1, 1, Hs", Key = "0", When = "Expanded != In")]
[Use<ConvBNActivation>("Expanded, Kernel, Stride, Expanded, Hs, Dilation", Key = "(Expanded != In)")]
[Use<HardSqueezeExcitation>("make_divisible(Expanded / 4, 8)", Key = "(Expanded != In) + 1", When = "Se == 1")]
[Use<ConvBNProjection>("Out", Key = "(Expanded != In) + 1 + Se")]
public partial class InvertedResidualV3Layers;

/// <summary>
/// torchvision.models.mobilenetv3.InvertedResidual, its arguments in the order of torchvision's table (input channels come
/// from the previous block): kernel, expanded width, output width, SE, Hardswish, stride, dilation.
/// </summary>
[Block(Params = "Kernel, Expanded, Out, Se, Hs, Stride, Dilation = 1")]
[Tap("x"), Use<InvertedResidualV3Layers>("Kernel, Expanded, Out, Se, Hs, Stride, Dilation", Key = "block"), Add("x", When = "Stride == 1 && In == Out")]
public partial class InvertedResidualV3;

/// <summary>torchvision.models.mobilenet_v3_large(): 5,483,032 parameters with 1000 classes (<c>numClasses: k</c> for others); any input size.</summary>
[Model(Channels = 3, Args = "NumClasses = 1000")]
[Stage("features")]
[Use<ConvBNActivation>("16, 3, 2", Key = "0")]
[Use<InvertedResidualV3>("3, 16, 16, 0, 0, 1", Key = "1"), Use<InvertedResidualV3>("3, 64, 24, 0, 0, 2", Key = "2"), Use<InvertedResidualV3>("3, 72, 24, 0, 0, 1", Key = "3")]
[Use<InvertedResidualV3>("5, 72, 40, 1, 0, 2", Key = "4"), Use<InvertedResidualV3>("5, 120, 40, 1, 0, 1", Key = "5"), Use<InvertedResidualV3>("5, 120, 40, 1, 0, 1", Key = "6")]
[Use<InvertedResidualV3>("3, 240, 80, 0, 1, 2", Key = "7"), Use<InvertedResidualV3>("3, 200, 80, 0, 1, 1", Key = "8"), Use<InvertedResidualV3>("3, 184, 80, 0, 1, 1", Key = "9")]
[Use<InvertedResidualV3>("3, 184, 80, 0, 1, 1", Key = "10"), Use<InvertedResidualV3>("3, 480, 112, 1, 1, 1", Key = "11"), Use<InvertedResidualV3>("3, 672, 112, 1, 1, 1", Key = "12")]
[Use<InvertedResidualV3>("5, 672, 160, 1, 1, 2", Key = "13"), Use<InvertedResidualV3>("5, 960, 160, 1, 1, 1", Key = "14"), Use<InvertedResidualV3>("5, 960, 160, 1, 1, 1", Key = "15")]
[Use<ConvBNActivation>("960", Key = "16")]
[EndStage, GlobalAvgPool(Name = "avgpool"), Flatten]
[Stage("classifier"), Linear(1280, Key = "0"), Hardswish(Key = "1"), Dropout(0.2, Key = "2"), Linear("NumClasses", Key = "3")]
public partial class MobileNetV3Large;

/// <summary>torchvision.models.mobilenet_v3_small(): 2,542,856 parameters with 1000 classes (<c>numClasses: k</c> for others); any input size.</summary>
[Model(Channels = 3, Args = "NumClasses = 1000")]
[Stage("features")]
[Use<ConvBNActivation>("16, 3, 2", Key = "0")]
[Use<InvertedResidualV3>("3, 16, 16, 1, 0, 2", Key = "1"), Use<InvertedResidualV3>("3, 72, 24, 0, 0, 2", Key = "2"), Use<InvertedResidualV3>("3, 88, 24, 0, 0, 1", Key = "3")]
[Use<InvertedResidualV3>("5, 96, 40, 1, 1, 2", Key = "4"), Use<InvertedResidualV3>("5, 240, 40, 1, 1, 1", Key = "5"), Use<InvertedResidualV3>("5, 240, 40, 1, 1, 1", Key = "6")]
[Use<InvertedResidualV3>("5, 120, 48, 1, 1, 1", Key = "7"), Use<InvertedResidualV3>("5, 144, 48, 1, 1, 1", Key = "8"), Use<InvertedResidualV3>("5, 288, 96, 1, 1, 2", Key = "9")]
[Use<InvertedResidualV3>("5, 576, 96, 1, 1, 1", Key = "10"), Use<InvertedResidualV3>("5, 576, 96, 1, 1, 1", Key = "11")]
[Use<ConvBNActivation>("576", Key = "12")]
[EndStage, GlobalAvgPool(Name = "avgpool"), Flatten]
[Stage("classifier"), Linear(1024, Key = "0"), Hardswish(Key = "1"), Dropout(0.2, Key = "2"), Linear("NumClasses", Key = "3")]
public partial class MobileNetV3Small;
