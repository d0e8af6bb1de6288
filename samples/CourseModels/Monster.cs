namespace ModelDsl.Samples;

/// <summary>The course's residual block: y = relu(x + f(x)), f = two 3×3 convs with BatchNorm.</summary>
[Block, Residual(Then = Act.ReLU)]
[Conv2d(Kernel = 3, Padding = 1), BatchNorm2d, ReLU]
[Conv2d(Kernel = 3, Padding = 1), BatchNorm2d]
public partial class ResBlock;

/// <summary>
/// The course's "Monster": AlexNet's first conv, a 1×1 conv, eight residual blocks, global average
/// pooling and a 10-way classifier.
/// </summary>
[Model(Channels = 3, Height = 32, Width = 32)]
[Stage("Features")]
[Conv2d(64, 11, Stride = 4, Padding = 2), ReLU, Conv2d(64, 1), ReLU]
[Use<ResBlock>(Repeat = 8)]
[GlobalAvgPool, ReLU, Flatten]
[Stage("Head")]
[Linear(10)]
public partial class Monster;
