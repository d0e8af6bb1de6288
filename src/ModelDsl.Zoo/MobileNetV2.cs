namespace ModelDsl.Zoo;

/// <summary>torchvision.ops.Conv2dNormActivation with ReLU6, as MobileNetV2 builds it: convolution (no bias), batch norm, ReLU6.</summary>
[Block(Params = "Out, Kernel = 3, Stride = 1, Groups = 1")]
[Conv2d(OutChannels = "Out", Kernel = "Kernel", Stride = "Stride", Padding = "(Kernel - 1) / 2", Groups = "Groups", Bias = false, Key = "0")]
[BatchNorm2d(Key = "1"), ReLU6(Key = "2")]
public partial class ConvBNReLU6;

/// <summary>The <c>conv</c> Sequential of MobileNetV2's inverted residual: expand (only when <c>Expand != 1</c>), depthwise, project.</summary>
[Block(Params = "Out, Stride, Expand")]
[Use<ConvBNReLU6>("In * Expand, 1", Key = "0", When = "Expand != 1")]
[Use<ConvBNReLU6>("In * Expand, 3, Stride, In * Expand", Key = "(Expand != 1)")]
[Conv2d(OutChannels = "Out", Kernel = 1, Bias = false, Key = "(Expand != 1) + 1"), BatchNorm2d(Key = "(Expand != 1) + 2")]
public partial class InvertedResidualConv;

/// <summary>torchvision.models.mobilenetv2.InvertedResidual: the input added back where the stride is 1 and the width is kept.</summary>
[Block(Params = "Out, Stride, Expand")]
[Tap("x"), Use<InvertedResidualConv>("Out, Stride, Expand", Key = "conv"), Add("x", When = "Stride == 1 && In == Out")]
public partial class InvertedResidual;

/// <summary>torchvision.models.mobilenet_v2(): 3,504,872 parameters with 1000 classes (<c>numClasses: k</c> for others); any input size.</summary>
[Model(Channels = 3, Args = "NumClasses = 1000")]
[Stage("features")]
[Use<ConvBNReLU6>("32, 3, 2", Key = "0")]
[Use<InvertedResidual>("16, 1, 1", Key = "1")]
[Use<InvertedResidual>("24, 2, 6", Key = "2"), Use<InvertedResidual>("24, 1, 6", Key = "3")]
[Use<InvertedResidual>("32, 2, 6", Key = "4"), Use<InvertedResidual>("32, 1, 6", Repeat = 2, Key = "5")]
[Use<InvertedResidual>("64, 2, 6", Key = "7"), Use<InvertedResidual>("64, 1, 6", Repeat = 3, Key = "8")]
[Use<InvertedResidual>("96, 1, 6", Repeat = 3, Key = "11")]
[Use<InvertedResidual>("160, 2, 6", Key = "14"), Use<InvertedResidual>("160, 1, 6", Repeat = 2, Key = "15")]
[Use<InvertedResidual>("320, 1, 6", Key = "17")]
[Use<ConvBNReLU6>("1280, 1", Key = "18")]
[EndStage, GlobalAvgPool, Flatten]
[Stage("classifier"), Dropout(0.2, Key = "0"), Linear("NumClasses", Key = "1")]
public partial class MobileNetV2;
