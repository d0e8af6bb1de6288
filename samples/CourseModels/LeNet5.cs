namespace ModelDsl.Samples;

/// <summary>LeNet-5 on 1×28×28 without padding. PyTorch: 44,426 parameters.</summary>
[Model(Channels = 1, Height = 28, Width = 28)]
[Stage("Features")]
[Conv2d(6, 5), ReLU, MaxPool2d(2)]
[Conv2d(16, 5), ReLU, MaxPool2d(2)]
[Flatten]
[Stage("Classifier")]
[Linear(120), ReLU, Linear(84), ReLU, Linear(10)]
public partial class LeNet5;
