namespace ModelDsl.Zoo;

/// <summary>torchvision.models.googlenet.BasicConv2d: convolution (no bias), batch norm (eps 0.001), ReLU.</summary>
[Block(Params = "Out, Kernel = 1, Stride = 1, Padding = 0")]
[Conv2d(OutChannels = "Out", Kernel = "Kernel", Stride = "Stride", Padding = "Padding", Bias = false, Key = "conv"), BatchNorm2d(Eps = 0.001, Key = "bn"), ReLU]
public partial class BasicConv2d;

/// <summary>Inception's second and third branches: a 1×1 reduction, then a 3×3 (torchvision's 3×3 in both, as its weights were trained).</summary>
[Block(Params = "Reduce, Out")]
[Use<BasicConv2d>("Reduce", Key = "0"), Use<BasicConv2d>("Out, 3, 1, 1", Key = "1")]
public partial class ReduceThenConv;

/// <summary>Inception's fourth branch: a 3×3 max pool of stride 1, then a 1×1 projection.</summary>
[Block(Params = "Out")]
[MaxPool2d(3, Stride = 1, Padding = 1, CeilMode = true, Key = "0"), Use<BasicConv2d>("Out", Key = "1")]
public partial class PoolProjection;

/// <summary>torchvision.models.googlenet.Inception: four branches from one input, concatenated in order.</summary>
[Block(Params = "C1, R3, C3, R5, C5, P")]
[Tap("x"), Use<BasicConv2d>("C1", Key = "branch1"), Tap("b1")]
[From("x"), Use<ReduceThenConv>("R3, C3", Key = "branch2"), Concat("b1", Order = ConcatOrder.TapFirst), Tap("b12")]
[From("x"), Use<ReduceThenConv>("R5, C5", Key = "branch3"), Concat("b12", Order = ConcatOrder.TapFirst), Tap("b123")]
[From("x"), Use<PoolProjection>("P", Key = "branch4"), Concat("b123", Order = ConcatOrder.TapFirst)]
public partial class Inception;

/// <summary>
/// torchvision.models.googlenet(aux_logits=False): 6,624,904 parameters with 1000 classes (<c>numClasses: k</c> for others),
/// without the auxiliary heads (used in training only) and without transform_input (off when no weights are given); any input
/// size from 15×15 up.
/// </summary>
[Model(Channels = 3, Args = "NumClasses = 1000")]
[Use<BasicConv2d>("64, 7, 2, 3", Key = "conv1"), MaxPool2d(3, Stride = 2, CeilMode = true, Key = "maxpool1")]
[Use<BasicConv2d>("64", Key = "conv2"), Use<BasicConv2d>("192, 3, 1, 1", Key = "conv3"), MaxPool2d(3, Stride = 2, CeilMode = true, Key = "maxpool2")]
[Use<Inception>("64, 96, 128, 16, 32, 32", Key = "inception3a"), Use<Inception>("128, 128, 192, 32, 96, 64", Key = "inception3b")]
[MaxPool2d(3, Stride = 2, CeilMode = true, Key = "maxpool3")]
[Use<Inception>("192, 96, 208, 16, 48, 64", Key = "inception4a"), Use<Inception>("160, 112, 224, 24, 64, 64", Key = "inception4b")]
[Use<Inception>("128, 128, 256, 24, 64, 64", Key = "inception4c"), Use<Inception>("112, 144, 288, 32, 64, 64", Key = "inception4d")]
[Use<Inception>("256, 160, 320, 32, 128, 128", Key = "inception4e"), MaxPool2d(2, Stride = 2, CeilMode = true, Key = "maxpool4")]
[Use<Inception>("256, 160, 320, 32, 128, 128", Key = "inception5a"), Use<Inception>("384, 192, 384, 48, 128, 128", Key = "inception5b")]
[GlobalAvgPool(Key = "avgpool"), Flatten, Dropout(0.2, Key = "dropout"), Linear("NumClasses", Key = "fc")]
public partial class GoogLeNet;
