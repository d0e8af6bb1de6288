namespace ModelDsl.Samples;

/// <summary>
/// The course's CIFAR-10 CifarCNN: three conv blocks with BatchNorm and Dropout2d, then a
/// three-layer classifier with Dropout. PyTorch: 5,852,170 parameters.
/// </summary>
[Model(Channels = 3, Height = 32, Width = 32)]
[Stage("Features")]
[Conv2d(32, 3, Padding = 1), BatchNorm2d, ReLU, Conv2d(64, 3, Padding = 1), ReLU, MaxPool2d(2)]
[Conv2d(128, 3, Padding = 1), BatchNorm2d, ReLU, Conv2d(128, 3, Padding = 1), ReLU, MaxPool2d(2), Dropout2d(0.05)]
[Conv2d(256, 3, Padding = 1), BatchNorm2d, ReLU, Conv2d(256, 3, Padding = 1), ReLU, MaxPool2d(2)]
[Flatten]
[Stage("Classifier")]
[Dropout(0.1), Linear(1024), ReLU, Linear(512), ReLU, Dropout(0.1), Linear(10)]
public partial class CifarCnn;
