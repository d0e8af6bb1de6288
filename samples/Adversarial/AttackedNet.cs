using ModelDsl;

namespace Adversarial;

/// <summary>
/// The network the sample fools: a small MNIST classifier (two conv blocks, one hidden dense layer; about 110 k parameters,
/// no batch norm or dropout, so training and evaluation compute the same function). Inputs are digits in [0, 1], unnormalised,
/// so an attack's ε is in pixel units.
/// </summary>
[Model(Channels = 1, Height = 28, Width = 28)]
[Stage("Features")]
[Conv2d(16, 3, Padding = 1), ReLU, MaxPool2d(2)]
[Conv2d(32, 3, Padding = 1), ReLU, MaxPool2d(2)]
[Stage("Classifier")]
[Flatten, Linear(64), ReLU, Linear(10)]
public partial class AttackedNet;
