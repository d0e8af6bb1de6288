namespace ModelDsl.Samples;

/// <summary>
/// DESIGN.md §2b's small U-Net for per-pixel digit classes (10 digits + background): two pooling steps down,
/// two transposed convolutions back up, each concatenated with the skip of its size. Declared with Channels
/// alone, it accepts any input whose height and width are multiples of 4.
/// </summary>
[Model(Channels = 1)]
[Stage("Down1"), Conv2d(16, 3, Padding = 1), ReLU, Conv2d(16, 3, Padding = 1), ReLU, Tap("skip1")]
[MaxPool2d(2)]
[Stage("Down2"), Conv2d(32, 3, Padding = 1), ReLU, Tap("skip2")]
[MaxPool2d(2)]
[Stage("Bottom"), Conv2d(64, 3, Padding = 1), ReLU]
[Stage("Up2"), ConvTranspose2d(32, 2, Stride = 2), Concat("skip2"), Conv2d(32, 3, Padding = 1), ReLU]
[Stage("Up1"), ConvTranspose2d(16, 2, Stride = 2), Concat("skip1"), Conv2d(16, 3, Padding = 1), ReLU]
[Conv2d(11, 1)]
public partial class DigitUNet;
