using ModelDsl;

namespace BinaryDigits;

/// <summary>
/// Binary case, way (a): the course's MNIST net with a single output unit — one logit per image,
/// trained with BCEWithLogits and scored with a threshold (Accuracy with ClassificationTask.Binary).
/// No Sigmoid in the model: BCEWithLogits applies it in a numerically stable way.
/// </summary>
[Model(Channels = 1, Height = 28, Width = 28)]
[Conv2d(16, 5), ReLU, MaxPool2d(2)]
[Flatten, Linear(1)]
public partial class OneLogitNet;

/// <summary>
/// Binary case, way (b): the same net with two output units — one logit per class, trained with
/// cross-entropy and scored by argmax (Accuracy(2)).
/// </summary>
[Model(Channels = 1, Height = 28, Width = 28)]
[Conv2d(16, 5), ReLU, MaxPool2d(2)]
[Flatten, Linear(2)]
public partial class TwoLogitNet;
