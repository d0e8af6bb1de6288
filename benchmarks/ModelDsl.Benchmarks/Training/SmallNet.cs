namespace ModelDsl.Benchmarks.Training;

/// <summary>
/// The "small net" of the training benchmarks: the course's MnistNet pattern (conv 5×5 → ReLU → max-pool)
/// twice, on CIFAR-shaped 3×32×32 input, then one linear layer. 22,058 parameters; same net in
/// benchmarks/python/train_epoch.py.
/// </summary>
[Model(Channels = 3, Height = 32, Width = 32)]
[Stage("Features")]
[Conv2d(16, 5), ReLU, MaxPool2d(2)]
[Conv2d(32, 5), ReLU, MaxPool2d(2)]
[Flatten]
[Stage("Classifier")]
[Linear(10)]
public partial class SmallNet;
