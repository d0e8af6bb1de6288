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

/// <summary>torchvision.models.resnet18(): 11,689,512 parameters with 1000 classes (<c>new ResNet18(numClasses: k)</c> for others); any input size.</summary>
[Model(Channels = 3, Args = "NumClasses = 1000")]
[Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false, Name = "conv1"), BatchNorm2d(Name = "bn1"), ReLU(Name = "relu"), MaxPool2d(3, Stride = 2, Padding = 1, Name = "maxpool")]
[Stage("layer1"), Use<BasicBlock>("64", Repeat = 2, Key = "0")]
[Stage("layer2"), Use<BasicBlock>("128, 2", Key = "0"), Use<BasicBlock>("128", Key = "1")]
[Stage("layer3"), Use<BasicBlock>("256, 2", Key = "0"), Use<BasicBlock>("256", Key = "1")]
[Stage("layer4"), Use<BasicBlock>("512, 2", Key = "0"), Use<BasicBlock>("512", Key = "1")]
[EndStage, AdaptiveAvgPool2d(1, 1, Name = "avgpool"), Flatten, Linear("NumClasses", Name = "fc")]
public partial class ResNet18;
