namespace ModelDsl.Samples;

/// <summary>torchvision's AlexNet on 3×224×224. PyTorch: 61,100,840 parameters.</summary>
[Model(Channels = 3, Height = 224, Width = 224)]
[Stage("Features")]
[Conv2d(64, 11, Stride = 4, Padding = 2), ReLU, MaxPool2d(3, Stride = 2)]
[Conv2d(192, 5, Padding = 2), ReLU, MaxPool2d(3, Stride = 2)]
[Conv2d(384, 3, Padding = 1), ReLU]
[Conv2d(256, 3, Padding = 1), ReLU]
[Conv2d(256, 3, Padding = 1), ReLU, MaxPool2d(3, Stride = 2)]
[AdaptiveAvgPool2d(6, 6), Flatten]
[Stage("Classifier")]
[Dropout, Linear(4096), ReLU]
[Dropout, Linear(4096), ReLU]
[Linear(1000)]
public partial class AlexNet;
