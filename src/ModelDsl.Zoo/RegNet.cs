namespace ModelDsl.Zoo;

/// <summary>torchvision.ops.Conv2dNormActivation with ReLU, as RegNet's stem and bottleneck build it: convolution (no bias), batch norm, ReLU.</summary>
[Block(Params = "Out, Kernel = 1, Stride = 1, Groups = 1")]
[Conv2d(OutChannels = "Out", Kernel = "Kernel", Stride = "Stride", Padding = "(Kernel - 1) / 2", Groups = "Groups", Bias = false, Key = "0")]
[BatchNorm2d(Key = "1"), ReLU(Key = "2")]
public partial class ConvBNReLU;

/// <summary>
/// torchvision.models.regnet.BottleneckTransform of the X models (bottleneck ratio 1, no SE): 1×1 <c>a</c>, grouped 3×3
/// <c>b</c> of 16 channels per group, 1×1 <c>c</c> without activation.
/// </summary>
[Block(Params = "Out, Stride")]
[Use<ConvBNReLU>("Out", Key = "a"), Use<ConvBNReLU>("Out, 3, Stride, Out / 16", Key = "b"), Use<ConvBN>("Out", Key = "c")]
public partial class BottleneckTransform;

/// <summary>torchvision.models.regnet.ResBottleneckBlock: the transform <c>f</c> plus the input (through <c>proj</c> where the stride or width changes), then ReLU.</summary>
[Block(Params = "Out, Stride = 1")]
[Tap("x"), Use<BottleneckTransform>("Out, Stride", Key = "f"), Tap("y")]
[From("x"), Use<Downsample>("Out, Stride", Key = "proj", When = "Stride != 1 || In != Out")]
[Add("y"), ReLU(Key = "activation")]
public partial class ResBottleneckBlock;

/// <summary>RegNetX-400MF's first stage (torchvision's AnyStage): one block, "block1-0".</summary>
[Block]
[Use<ResBottleneckBlock>("32, 2", Key = "block1-0")]
public partial class RegNetX400MFStage1;

/// <summary>RegNetX-400MF's second stage: two blocks at 64 channels.</summary>
[Block]
[Use<ResBottleneckBlock>("64, 2", Key = "block2-0"), Use<ResBottleneckBlock>("64", Key = "block2-1")]
public partial class RegNetX400MFStage2;

/// <summary>RegNetX-400MF's third stage: seven blocks at 160 channels.</summary>
[Block]
[Use<ResBottleneckBlock>("160, 2", Key = "block3-0"), Use<ResBottleneckBlock>("160", Repeat = 6, Key = "block3-{1}")]
public partial class RegNetX400MFStage3;

/// <summary>RegNetX-400MF's fourth stage: twelve blocks at 400 channels.</summary>
[Block]
[Use<ResBottleneckBlock>("400, 2", Key = "block4-0"), Use<ResBottleneckBlock>("400", Repeat = 11, Key = "block4-{1}")]
public partial class RegNetX400MFStage4;

/// <summary>
/// torchvision.models.regnet_x_400mf(): 5,495,976 parameters with 1000 classes (<c>numClasses: k</c> for others); widths 32,
/// 64, 160, 400 with 1, 2, 7, 12 blocks (torchvision's BlockParams from depth 22, w0 24, wa 24.48, wm 2.54, group width 16);
/// any input size.
/// </summary>
[Model(Channels = 3, Args = "NumClasses = 1000")]
[Stage("stem"), Conv2d(32, 3, Stride = 2, Padding = 1, Bias = false, Key = "0"), BatchNorm2d(Key = "1"), ReLU(Key = "2")]
[Stage("trunk_output"), Use<RegNetX400MFStage1>(Key = "block1"), Use<RegNetX400MFStage2>(Key = "block2")]
[Use<RegNetX400MFStage3>(Key = "block3"), Use<RegNetX400MFStage4>(Key = "block4")]
[EndStage, GlobalAvgPool(Name = "avgpool"), Flatten, Linear("NumClasses", Name = "fc")]
public partial class RegNetX400MF;
