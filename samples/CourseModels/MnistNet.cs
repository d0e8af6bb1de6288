namespace ModelDsl.Samples;

/// <summary>
/// The course's 3-class MNIST net: Conv2d(1,16,5) → ReLU → MaxPool2d(2) → Flatten → Linear(2304,3).
/// PyTorch: 7,331 parameters.
/// </summary>
[Model(Channels = 1, Height = 28, Width = 28)]
[Conv2d(16, 5), ReLU, MaxPool2d(2)]
[Flatten, Linear(3, InFeatures = 2304)]
public partial class MnistNet;
