using ModelDsl;

namespace MnistDigits;

/// <summary>
/// The default net: two conv stages and a small classifier for 1×28×28 digits. Light enough to train
/// 8,000 digits in well under a minute per epoch on two CPU cores.
/// </summary>
[Model(Channels = 1, Height = 28, Width = 28)]
[Stage("Features")]
[Conv2d(16, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(32, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Stage("Classifier")]
[Flatten, Dropout(0.25), Linear(128), ReLU, Dropout(0.25), Linear(10)]
public partial class DigitNet;

/// <summary>For <c>--data</c> pointing at CIFAR-10: three conv stages for 3×32×32 colour images.</summary>
[Model(Channels = 3, Height = 32, Width = 32)]
[Stage("Features")]
[Conv2d(32, 3, Padding = 1), BatchNorm2d, ReLU, Conv2d(32, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(64, 3, Padding = 1), BatchNorm2d, ReLU, Conv2d(64, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(128, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Stage("Classifier")]
[Flatten, Dropout(0.3), Linear(256), ReLU, Dropout(0.3), Linear(10)]
public partial class CifarNet;
