namespace ModelDsl.Zoo;

/// <summary>
/// torchvision.models.squeezenet.Fire: a 1×1 squeeze, then 1×1 and 3×3 expands side by side, concatenated (1×1 first).
/// </summary>
[Block(Params = "Squeeze, Expand1x1, Expand3x3")]
[Conv2d(OutChannels = "Squeeze", Kernel = 1, Key = "squeeze"), ReLU(Key = "squeeze_activation"), Tap("s")]
[Conv2d(OutChannels = "Expand1x1", Kernel = 1, Key = "expand1x1"), ReLU(Key = "expand1x1_activation"), Tap("e1")]
[From("s"), Conv2d(OutChannels = "Expand3x3", Kernel = 3, Padding = 1, Key = "expand3x3"), ReLU(Key = "expand3x3_activation")]
[Concat("e1", Order = ConcatOrder.TapFirst)]
public partial class Fire;

/// <summary>
/// torchvision.models.squeezenet1_1(): 1,235,496 parameters with 1000 classes (<c>numClasses: k</c> for others); the classes
/// come from a 1×1 convolution, then ReLU and a global average pool; any input size from 17×17 up.
/// </summary>
[Model(Channels = 3, Args = "NumClasses = 1000")]
[Stage("features")]
[Conv2d(64, 3, Stride = 2, Key = "0"), ReLU(Key = "1"), MaxPool2d(3, Stride = 2, CeilMode = true, Key = "2")]
[Use<Fire>("16, 64, 64", Key = "3"), Use<Fire>("16, 64, 64", Key = "4"), MaxPool2d(3, Stride = 2, CeilMode = true, Key = "5")]
[Use<Fire>("32, 128, 128", Key = "6"), Use<Fire>("32, 128, 128", Key = "7"), MaxPool2d(3, Stride = 2, CeilMode = true, Key = "8")]
[Use<Fire>("48, 192, 192", Key = "9"), Use<Fire>("48, 192, 192", Key = "10"), Use<Fire>("64, 256, 256", Key = "11"), Use<Fire>("64, 256, 256", Key = "12")]
[Stage("classifier"), Dropout(0.5, Key = "0"), Conv2d(OutChannels = "NumClasses", Kernel = 1, Key = "1"), ReLU(Key = "2"), AdaptiveAvgPool2d(1, 1, Key = "3")]
[EndStage, Flatten]
public partial class SqueezeNet1_1;
