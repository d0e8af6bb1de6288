namespace ModelDsl.Zoo;

/// <summary>torchvision's ResNet <c>downsample</c>: a strided 1×1 convolution and its batch norm, where a block changes size or width.</summary>
[Block(Params = "Out, Stride")]
[Conv2d(OutChannels = "Out", Kernel = 1, Stride = "Stride", Bias = false, Key = "0"), BatchNorm2d(Key = "1")]
public partial class Downsample;

/// <summary>
/// torchvision.models.resnet.BasicBlock: two 3×3 convolutions with batch norm, the input added back (through
/// <c>downsample</c> where the stride is not 1 or the width changes), then ReLU.
/// </summary>
[Block(Params = "Out, Stride = 1")]
[Tap("x")]
[Conv2d(OutChannels = "Out", Kernel = 3, Stride = "Stride", Padding = 1, Bias = false, Name = "conv1"), BatchNorm2d(Name = "bn1"), ReLU(Name = "relu")]
[Conv2d(OutChannels = "Out", Kernel = 3, Padding = 1, Bias = false, Name = "conv2"), BatchNorm2d(Name = "bn2"), Tap("y")]
[From("x"), Use<Downsample>("Out, Stride", Name = "downsample", When = "Stride != 1 || In != Out")]
[Add("y"), ReLU(Name = "relu_out")]
public partial class BasicBlock;

/// <summary>
/// torchvision.models.resnet.Bottleneck (ResNet v1.5: the stride on the 3×3): 1×1 to <c>Planes</c>, 3×3 (strided, dilated in
/// the segmentation backbones), 1×1 to <c>4 · Planes</c>, each with batch norm; the input added back through
/// <c>downsample</c> where the stride or the width changes, then ReLU.
/// </summary>
[Block(Params = "Planes, Stride = 1, Dilation = 1")]
[Tap("x")]
[Conv2d(OutChannels = "Planes", Kernel = 1, Bias = false, Name = "conv1"), BatchNorm2d(Name = "bn1"), ReLU(Name = "relu")]
[Conv2d(OutChannels = "Planes", Kernel = 3, Stride = "Stride", Padding = "Dilation", Dilation = "Dilation", Bias = false, Name = "conv2"), BatchNorm2d(Name = "bn2"), ReLU(Name = "relu2")]
[Conv2d(OutChannels = "Planes * 4", Kernel = 1, Bias = false, Name = "conv3"), BatchNorm2d(Name = "bn3"), Tap("y")]
[From("x"), Use<Downsample>("Planes * 4, Stride", Name = "downsample", When = "Stride != 1 || In != Planes * 4")]
[Add("y"), ReLU(Name = "relu_out")]
public partial class Bottleneck;

/// <summary>torchvision.models.resnet18(): 11,689,512 parameters with 1000 classes (<c>new ResNet18(numClasses: k)</c> for others); any input size.</summary>
[Model(Channels = 3, Args = "NumClasses = 1000")]
[Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false, Name = "conv1"), BatchNorm2d(Name = "bn1"), ReLU(Name = "relu"), MaxPool2d(3, Stride = 2, Padding = 1, Name = "maxpool")]
[Stage("layer1"), Use<BasicBlock>("64", Repeat = 2, Key = "0")]
[Stage("layer2"), Use<BasicBlock>("128, 2", Key = "0"), Use<BasicBlock>("128", Key = "1")]
[Stage("layer3"), Use<BasicBlock>("256, 2", Key = "0"), Use<BasicBlock>("256", Key = "1")]
[Stage("layer4"), Use<BasicBlock>("512, 2", Key = "0"), Use<BasicBlock>("512", Key = "1")]
[EndStage, AdaptiveAvgPool2d(1, 1, Name = "avgpool"), Flatten, Linear("NumClasses", Name = "fc")]
public partial class ResNet18;

/// <summary>torchvision.models.resnet34(): 21,797,672 parameters with 1000 classes; BasicBlocks 3, 4, 6, 3; any input size.</summary>
[Model(Channels = 3, Args = "NumClasses = 1000")]
[Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false, Name = "conv1"), BatchNorm2d(Name = "bn1"), ReLU(Name = "relu"), MaxPool2d(3, Stride = 2, Padding = 1, Name = "maxpool")]
[Stage("layer1"), Use<BasicBlock>("64", Repeat = 3, Key = "0")]
[Stage("layer2"), Use<BasicBlock>("128, 2", Key = "0"), Use<BasicBlock>("128", Repeat = 3, Key = "1")]
[Stage("layer3"), Use<BasicBlock>("256, 2", Key = "0"), Use<BasicBlock>("256", Repeat = 5, Key = "1")]
[Stage("layer4"), Use<BasicBlock>("512, 2", Key = "0"), Use<BasicBlock>("512", Repeat = 2, Key = "1")]
[EndStage, AdaptiveAvgPool2d(1, 1, Name = "avgpool"), Flatten, Linear("NumClasses", Name = "fc")]
public partial class ResNet34;

/// <summary>torchvision.models.resnet50(): 25,557,032 parameters with 1000 classes; Bottlenecks 3, 4, 6, 3; any input size.</summary>
[Model(Channels = 3, Args = "NumClasses = 1000")]
[Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false, Name = "conv1"), BatchNorm2d(Name = "bn1"), ReLU(Name = "relu"), MaxPool2d(3, Stride = 2, Padding = 1, Name = "maxpool")]
[Stage("layer1"), Use<Bottleneck>("64", Repeat = 3, Key = "0")]
[Stage("layer2"), Use<Bottleneck>("128, 2", Key = "0"), Use<Bottleneck>("128", Repeat = 3, Key = "1")]
[Stage("layer3"), Use<Bottleneck>("256, 2", Key = "0"), Use<Bottleneck>("256", Repeat = 5, Key = "1")]
[Stage("layer4"), Use<Bottleneck>("512, 2", Key = "0"), Use<Bottleneck>("512", Repeat = 2, Key = "1")]
[EndStage, AdaptiveAvgPool2d(1, 1, Name = "avgpool"), Flatten, Linear("NumClasses", Name = "fc")]
public partial class ResNet50;
