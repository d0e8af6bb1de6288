namespace ModelDsl.Zoo;

// torchvision's segmentation nets on a dilated ResNet-50 (replace_stride_with_dilation = [False, True, True]: layer3 and
// layer4 keep the 1/8 resolution and dilate their 3×3 convolutions by 2 and 4, each stage's first block by the previous
// dilation), the backbone registered as "backbone" as torchvision's IntermediateLayerGetter holds it (up to layer4, no pool
// or fc), the class map resized back to the input's size. Without the auxiliary head (aux_loss=False).

/// <summary>ResNet-50's layer1: three Bottlenecks at 64 planes.</summary>
[Block]
[Use<Bottleneck>("64", Repeat = 3, Key = "0")]
public partial class ResNet50Layer1;

/// <summary>ResNet-50's layer2: four Bottlenecks at 128 planes, the first of stride 2.</summary>
[Block]
[Use<Bottleneck>("128, 2", Key = "0"), Use<Bottleneck>("128", Repeat = 3, Key = "1")]
public partial class ResNet50Layer2;

/// <summary>The dilated layer3: six Bottlenecks at 256 planes, stride 1, the first at dilation 1, the others at 2.</summary>
[Block]
[Use<Bottleneck>("256, 1, 1", Key = "0"), Use<Bottleneck>("256, 1, 2", Repeat = 5, Key = "1")]
public partial class DilatedResNet50Layer3;

/// <summary>The dilated layer4: three Bottlenecks at 512 planes, stride 1, the first at dilation 2, the others at 4.</summary>
[Block]
[Use<Bottleneck>("512, 1, 2", Key = "0"), Use<Bottleneck>("512, 1, 4", Repeat = 2, Key = "1")]
public partial class DilatedResNet50Layer4;

/// <summary>
/// The backbone of torchvision's ResNet-50 segmentation nets (its IntermediateLayerGetter up to layer4): the stem, then
/// layer1 … layer4 with the last two dilated; 1/8 of the input's resolution, 2048 channels.
/// </summary>
[Block]
[Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false, Key = "conv1"), BatchNorm2d(Key = "bn1"), ReLU(Key = "relu"), MaxPool2d(3, Stride = 2, Padding = 1, Key = "maxpool")]
[Use<ResNet50Layer1>(Key = "layer1"), Use<ResNet50Layer2>(Key = "layer2"), Use<DilatedResNet50Layer3>(Key = "layer3"), Use<DilatedResNet50Layer4>(Key = "layer4")]
public partial class DilatedResNet50;

/// <summary>torchvision.models.segmentation.fcn_resnet50(aux_loss=False): 32,957,013 parameters with 21 classes; any input size.</summary>
[Model(Channels = 3, Args = "NumClasses = 21")]
[Use<DilatedResNet50>(Key = "backbone")]
[Stage("classifier")]                                           // torchvision's FCNHead(2048, NumClasses)
[Conv2d(512, 3, Padding = 1, Bias = false, Key = "0"), BatchNorm2d(Key = "1"), ReLU(Key = "2"), Dropout(0.1, Key = "3"), Conv2d(OutChannels = "NumClasses", Kernel = 1, Key = "4")]
[EndStage, Upsample(SizeOf = "input", Mode = UpsampleMode.Bilinear)]
public partial class FcnResNet50;

/// <summary>One of ASPP's atrous branches (torchvision's ASPPConv): a 3×3 convolution dilated by <c>Rate</c>, batch norm, ReLU.</summary>
[Block(Params = "Out, Rate")]
[Conv2d(OutChannels = "Out", Kernel = 3, Padding = "Rate", Dilation = "Rate", Bias = false, Key = "0"), BatchNorm2d(Key = "1"), ReLU(Key = "2")]
public partial class AsppConv;

/// <summary>ASPP's image-level branch (torchvision's ASPPPooling): global average, 1×1 convolution, batch norm, ReLU, resized back to its input's size.</summary>
[Block(Params = "Out")]
[Tap("x"), GlobalAvgPool(Key = "0"), Conv2d(OutChannels = "Out", Kernel = 1, Bias = false, Key = "1"), BatchNorm2d(Key = "2"), ReLU(Key = "3")]
[Upsample(SizeOf = "x", Mode = UpsampleMode.Bilinear)]
public partial class AsppPooling;

/// <summary>ASPP's five parallel branches (torchvision's <c>convs</c> ModuleList) on one input, concatenated in order.</summary>
[Block]
[Tap("x"), Use<ConvBNReLU>("256", Key = "0"), Tap("b0")]
[From("x"), Use<AsppConv>("256, 12", Key = "1"), Concat("b0", Order = ConcatOrder.TapFirst), Tap("b01")]
[From("x"), Use<AsppConv>("256, 24", Key = "2"), Concat("b01", Order = ConcatOrder.TapFirst), Tap("b012")]
[From("x"), Use<AsppConv>("256, 36", Key = "3"), Concat("b012", Order = ConcatOrder.TapFirst), Tap("b0123")]
[From("x"), Use<AsppPooling>("256", Key = "4"), Concat("b0123", Order = ConcatOrder.TapFirst)]
public partial class AsppBranches;

/// <summary>ASPP's projection of the five branches: a 1×1 convolution to 256 channels, batch norm, ReLU, dropout 0.5.</summary>
[Block]
[Conv2d(256, 1, Bias = false, Key = "0"), BatchNorm2d(Key = "1"), ReLU(Key = "2"), Dropout(0.5, Key = "3")]
public partial class AsppProjection;

/// <summary>torchvision.models.segmentation.deeplabv3.ASPP(2048, [12, 24, 36]).</summary>
[Block]
[Use<AsppBranches>(Key = "convs"), Use<AsppProjection>(Key = "project")]
public partial class Aspp;

/// <summary>torchvision.models.segmentation.deeplabv3_resnet50(aux_loss=False): 39,638,869 parameters with 21 classes; any input size.</summary>
[Model(Channels = 3, Args = "NumClasses = 21")]
[Use<DilatedResNet50>(Key = "backbone")]
[Stage("classifier")]                                           // torchvision's DeepLabHead(2048, NumClasses)
[Use<Aspp>(Key = "0"), Conv2d(256, 3, Padding = 1, Bias = false, Key = "1"), BatchNorm2d(Key = "2"), ReLU(Key = "3"), Conv2d(OutChannels = "NumClasses", Kernel = 1, Key = "4")]
[EndStage, Upsample(SizeOf = "input", Mode = UpsampleMode.Bilinear)]
public partial class DeepLabV3ResNet50;

/// <summary>LRASPP's <c>cbr</c>: a 1×1 convolution to 128 channels, batch norm, ReLU.</summary>
[Block]
[Conv2d(128, 1, Bias = false, Key = "0"), BatchNorm2d(Key = "1"), ReLU(Key = "2")]
public partial class LrasppCbr;

/// <summary>LRASPP's <c>scale</c>: a global average, a 1×1 convolution to 128 channels, a sigmoid gate.</summary>
[Block]
[GlobalAvgPool(Key = "0"), Conv2d(128, 1, Bias = false, Key = "1"), Sigmoid(Key = "2")]
public partial class LrasppScale;

/// <summary>
/// torchvision.models.segmentation.lraspp_mobilenet_v3_large(): 3,221,538 parameters with 21 classes; any input size. The
/// backbone is MobileNetV3-Large's features up to its last convolution, the last stage dilated (stride 1, dilation 2: the
/// 1/16 resolution); the head gates the "high" features (1/16) by their global average, resizes them to the "low" features
/// (after block 4, 1/8), and adds the two 1×1 classifiers; the sum is resized to the input's size.
/// </summary>
[Model(Channels = 3, Args = "NumClasses = 21")]
[Stage("backbone")]
[Use<ConvBNActivation>("16, 3, 2", Key = "0")]
[Use<InvertedResidualV3>("3, 16, 16, 0, 0, 1", Key = "1"), Use<InvertedResidualV3>("3, 64, 24, 0, 0, 2", Key = "2"), Use<InvertedResidualV3>("3, 72, 24, 0, 0, 1", Key = "3")]
[Use<InvertedResidualV3>("5, 72, 40, 1, 0, 2", Key = "4"), Tap("low")]
[Use<InvertedResidualV3>("5, 120, 40, 1, 0, 1", Key = "5"), Use<InvertedResidualV3>("5, 120, 40, 1, 0, 1", Key = "6")]
[Use<InvertedResidualV3>("3, 240, 80, 0, 1, 2", Key = "7"), Use<InvertedResidualV3>("3, 200, 80, 0, 1, 1", Key = "8"), Use<InvertedResidualV3>("3, 184, 80, 0, 1, 1", Key = "9")]
[Use<InvertedResidualV3>("3, 184, 80, 0, 1, 1", Key = "10"), Use<InvertedResidualV3>("3, 480, 112, 1, 1, 1", Key = "11"), Use<InvertedResidualV3>("3, 672, 112, 1, 1, 1", Key = "12")]
[Use<InvertedResidualV3>("5, 672, 160, 1, 1, 1, 2", Key = "13"), Use<InvertedResidualV3>("5, 960, 160, 1, 1, 1, 2", Key = "14"), Use<InvertedResidualV3>("5, 960, 160, 1, 1, 1, 2", Key = "15")]
[Use<ConvBNActivation>("960", Key = "16"), Tap("high")]
[Stage("classifier")]                                           // torchvision's LRASPPHead(40, 960, NumClasses, 128)
[Use<LrasppScale>(Key = "scale"), Tap("s"), From("high"), Use<LrasppCbr>(Key = "cbr"), Multiply("s")]
[Upsample(SizeOf = "low", Mode = UpsampleMode.Bilinear), Conv2d(OutChannels = "NumClasses", Kernel = 1, Key = "high_classifier"), Tap("h")]
[From("low"), Conv2d(OutChannels = "NumClasses", Kernel = 1, Key = "low_classifier"), Add("h")]
[EndStage, Upsample(SizeOf = "input", Mode = UpsampleMode.Bilinear)]
public partial class LRASPPMobileNetV3Large;
