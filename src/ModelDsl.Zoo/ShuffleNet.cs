namespace ModelDsl.Zoo;

/// <summary>
/// branch2 of torchvision.models.shufflenetv2.InvertedResidual: 1×1, depthwise 3×3 (strided in a downsampling unit), 1×1,
/// with batch norm — and ReLU after the two 1×1 convolutions.
/// </summary>
[Block(Params = "Out, Stride")]
[Conv2d(OutChannels = "Out", Kernel = 1, Bias = false, Key = "0"), BatchNorm2d(Key = "1"), ReLU(Key = "2")]
[Conv2d(OutChannels = "Out", Kernel = 3, Stride = "Stride", Padding = 1, Groups = "Out", Bias = false, Key = "3"), BatchNorm2d(Key = "4")]
[Conv2d(OutChannels = "Out", Kernel = 1, Bias = false, Key = "5"), BatchNorm2d(Key = "6"), ReLU(Key = "7")]
public partial class ShuffleBranch2;

/// <summary>branch1 of a downsampling unit: a depthwise 3×3 of stride 2, then a 1×1, with batch norm and a final ReLU.</summary>
[Block(Params = "Out")]
[Conv2d(Kernel = 3, Stride = 2, Padding = 1, Groups = "In", Bias = false, Key = "0"), BatchNorm2d(Key = "1")]
[Conv2d(OutChannels = "Out", Kernel = 1, Bias = false, Key = "2"), BatchNorm2d(Key = "3"), ReLU(Key = "4")]
public partial class ShuffleBranch1;

/// <summary>torchvision's InvertedResidual at stride 1: half the channels through branch2, the halves joined and shuffled.</summary>
[Block(Params = "Out")]
[Chunk("x1", "x2"), From("x2"), Use<ShuffleBranch2>("Out / 2, 1", Key = "branch2"), Concat("x1", Order = ConcatOrder.TapFirst), ChannelShuffle(2)]
public partial class ShuffleUnit;

/// <summary>torchvision's InvertedResidual at stride 2: both branches on the whole input, joined and shuffled.</summary>
[Block(Params = "Out")]
[Tap("x"), Use<ShuffleBranch1>("Out / 2", Key = "branch1"), Tap("b1")]
[From("x"), Use<ShuffleBranch2>("Out / 2, 2", Key = "branch2"), Concat("b1", Order = ConcatOrder.TapFirst), ChannelShuffle(2)]
public partial class ShuffleDown;

/// <summary>
/// torchvision.models.shufflenet_v2_x0_5(): 1,366,792 parameters with 1000 classes (<c>numClasses: k</c> for others);
/// stages of 4, 8 and 4 units at 48, 96 and 192 channels; any input size.
/// </summary>
[Model(Channels = 3, Args = "NumClasses = 1000")]
[Stage("conv1"), Conv2d(24, 3, Stride = 2, Padding = 1, Bias = false, Key = "0"), BatchNorm2d(Key = "1"), ReLU(Key = "2")]
[EndStage, MaxPool2d(3, Stride = 2, Padding = 1, Name = "maxpool")]
[Stage("stage2"), Use<ShuffleDown>("48", Key = "0"), Use<ShuffleUnit>("48", Repeat = 3, Key = "1")]
[Stage("stage3"), Use<ShuffleDown>("96", Key = "0"), Use<ShuffleUnit>("96", Repeat = 7, Key = "1")]
[Stage("stage4"), Use<ShuffleDown>("192", Key = "0"), Use<ShuffleUnit>("192", Repeat = 3, Key = "1")]
[Stage("conv5"), Conv2d(1024, 1, Bias = false, Key = "0"), BatchNorm2d(Key = "1"), ReLU(Key = "2")]
[EndStage, GlobalAvgPool, Flatten, Linear("NumClasses", Name = "fc")]
public partial class ShuffleNetV2X0_5;
