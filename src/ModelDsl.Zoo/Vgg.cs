namespace ModelDsl.Zoo;

// torchvision's VGG with batch norm: features numbered as its make_layers writes them (conv, batch norm, ReLU per
// layer; a 2×2 max pool after each group), a 7×7 adaptive average pool, and the three-layer classifier.

/// <summary>torchvision.models.vgg11_bn(): 132,868,840 parameters with 1000 classes (<c>numClasses: k</c> for others); any input size from 32×32 up.</summary>
[Model(Channels = 3, Args = "NumClasses = 1000")]
[Stage("features")]
[Conv2d(64, 3, Padding = 1, Key = "0"), BatchNorm2d(Key = "1"), ReLU(Key = "2"), MaxPool2d(2, Stride = 2, Key = "3")]
[Conv2d(128, 3, Padding = 1, Key = "4"), BatchNorm2d(Key = "5"), ReLU(Key = "6"), MaxPool2d(2, Stride = 2, Key = "7")]
[Conv2d(256, 3, Padding = 1, Key = "8"), BatchNorm2d(Key = "9"), ReLU(Key = "10"), Conv2d(256, 3, Padding = 1, Key = "11"), BatchNorm2d(Key = "12"), ReLU(Key = "13")]
[MaxPool2d(2, Stride = 2, Key = "14")]
[Conv2d(512, 3, Padding = 1, Key = "15"), BatchNorm2d(Key = "16"), ReLU(Key = "17"), Conv2d(512, 3, Padding = 1, Key = "18"), BatchNorm2d(Key = "19"), ReLU(Key = "20")]
[MaxPool2d(2, Stride = 2, Key = "21")]
[Conv2d(512, 3, Padding = 1, Key = "22"), BatchNorm2d(Key = "23"), ReLU(Key = "24"), Conv2d(512, 3, Padding = 1, Key = "25"), BatchNorm2d(Key = "26"), ReLU(Key = "27")]
[MaxPool2d(2, Stride = 2, Key = "28")]
[EndStage, AdaptiveAvgPool2d(7, 7, Name = "avgpool"), Flatten]
[Stage("classifier"), Linear(4096, Key = "0"), ReLU(Key = "1"), Dropout(0.5, Key = "2"), Linear(4096, Key = "3"), ReLU(Key = "4"), Dropout(0.5, Key = "5"), Linear("NumClasses", Key = "6")]
public partial class Vgg11Bn;

/// <summary>torchvision.models.vgg16_bn(): 138,365,992 parameters with 1000 classes (<c>numClasses: k</c> for others); any input size from 32×32 up.</summary>
[Model(Channels = 3, Args = "NumClasses = 1000")]
[Stage("features")]
[Conv2d(64, 3, Padding = 1, Key = "0"), BatchNorm2d(Key = "1"), ReLU(Key = "2"), Conv2d(64, 3, Padding = 1, Key = "3"), BatchNorm2d(Key = "4"), ReLU(Key = "5")]
[MaxPool2d(2, Stride = 2, Key = "6")]
[Conv2d(128, 3, Padding = 1, Key = "7"), BatchNorm2d(Key = "8"), ReLU(Key = "9"), Conv2d(128, 3, Padding = 1, Key = "10"), BatchNorm2d(Key = "11"), ReLU(Key = "12")]
[MaxPool2d(2, Stride = 2, Key = "13")]
[Conv2d(256, 3, Padding = 1, Key = "14"), BatchNorm2d(Key = "15"), ReLU(Key = "16"), Conv2d(256, 3, Padding = 1, Key = "17"), BatchNorm2d(Key = "18"), ReLU(Key = "19")]
[Conv2d(256, 3, Padding = 1, Key = "20"), BatchNorm2d(Key = "21"), ReLU(Key = "22"), MaxPool2d(2, Stride = 2, Key = "23")]
[Conv2d(512, 3, Padding = 1, Key = "24"), BatchNorm2d(Key = "25"), ReLU(Key = "26"), Conv2d(512, 3, Padding = 1, Key = "27"), BatchNorm2d(Key = "28"), ReLU(Key = "29")]
[Conv2d(512, 3, Padding = 1, Key = "30"), BatchNorm2d(Key = "31"), ReLU(Key = "32"), MaxPool2d(2, Stride = 2, Key = "33")]
[Conv2d(512, 3, Padding = 1, Key = "34"), BatchNorm2d(Key = "35"), ReLU(Key = "36"), Conv2d(512, 3, Padding = 1, Key = "37"), BatchNorm2d(Key = "38"), ReLU(Key = "39")]
[Conv2d(512, 3, Padding = 1, Key = "40"), BatchNorm2d(Key = "41"), ReLU(Key = "42"), MaxPool2d(2, Stride = 2, Key = "43")]
[EndStage, AdaptiveAvgPool2d(7, 7, Name = "avgpool"), Flatten]
[Stage("classifier"), Linear(4096, Key = "0"), ReLU(Key = "1"), Dropout(0.5, Key = "2"), Linear(4096, Key = "3"), ReLU(Key = "4"), Dropout(0.5, Key = "5"), Linear("NumClasses", Key = "6")]
public partial class Vgg16Bn;
