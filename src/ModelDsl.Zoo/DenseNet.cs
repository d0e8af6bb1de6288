namespace ModelDsl.Zoo;

/// <summary>
/// torchvision.models.densenet._DenseLayer: batch norm, ReLU, a 1×1 bottleneck to <c>BnSize · Growth</c> channels, batch
/// norm, ReLU, a 3×3 to <c>Growth</c> channels — its output concatenated after its input, as <c>_DenseBlock</c> does.
/// </summary>
[Block(Params = "Growth, BnSize")]
[Tap("x"), BatchNorm2d(Key = "norm1"), ReLU(Key = "relu1"), Conv2d(OutChannels = "BnSize * Growth", Kernel = 1, Bias = false, Key = "conv1")]
[BatchNorm2d(Key = "norm2"), ReLU(Key = "relu2"), Conv2d(OutChannels = "Growth", Kernel = 3, Padding = 1, Bias = false, Key = "conv2")]
[Concat("x", Order = ConcatOrder.TapFirst)]
public partial class DenseLayer;

/// <summary>torchvision's <c>_DenseBlock</c> of DenseNet-121's first stage: 6 layers, growth 32.</summary>
[Block]
[Use<DenseLayer>("32, 4", Repeat = 6, Key = "denselayer{1}")]
public partial class DenseBlock6;

/// <summary>DenseNet-121's second block: 12 layers.</summary>
[Block]
[Use<DenseLayer>("32, 4", Repeat = 12, Key = "denselayer{1}")]
public partial class DenseBlock12;

/// <summary>DenseNet-121's third block: 24 layers.</summary>
[Block]
[Use<DenseLayer>("32, 4", Repeat = 24, Key = "denselayer{1}")]
public partial class DenseBlock24;

/// <summary>DenseNet-121's fourth block: 16 layers.</summary>
[Block]
[Use<DenseLayer>("32, 4", Repeat = 16, Key = "denselayer{1}")]
public partial class DenseBlock16;

/// <summary>torchvision's <c>_Transition</c>: batch norm, ReLU, a 1×1 convolution halving the channels, 2×2 average pooling.</summary>
[Block]
[BatchNorm2d(Key = "norm"), ReLU(Key = "relu"), Conv2d(OutChannels = "In / 2", Kernel = 1, Bias = false, Key = "conv"), AvgPool2d(2, Stride = 2, Key = "pool")]
public partial class Transition;

/// <summary>torchvision.models.densenet121(): 7,978,856 parameters with 1000 classes (<c>numClasses: k</c> for others), 121 weighted layers; any input size.</summary>
[Model(Channels = 3, Args = "NumClasses = 1000")]
[Stage("features")]
[Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false, Key = "conv0"), BatchNorm2d(Key = "norm0"), ReLU(Key = "relu0"), MaxPool2d(3, Stride = 2, Padding = 1, Key = "pool0")]
[Use<DenseBlock6>(Key = "denseblock1"), Use<Transition>(Key = "transition1")]
[Use<DenseBlock12>(Key = "denseblock2"), Use<Transition>(Key = "transition2")]
[Use<DenseBlock24>(Key = "denseblock3"), Use<Transition>(Key = "transition3")]
[Use<DenseBlock16>(Key = "denseblock4"), BatchNorm2d(Key = "norm5")]
[EndStage, ReLU, GlobalAvgPool, Flatten, Linear("NumClasses", Name = "classifier")]
public partial class DenseNet121;
