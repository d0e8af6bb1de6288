using ModelDsl;

namespace DigitDetection;

/// <summary>
/// The sample's detector on a 64×64×1 canvas: a backbone that pools three times to an 8×8 grid (each cell 8×8 px,
/// a pixel of the last feature map sees about 54 px, a whole digit and its neighbourhood), then one 1×1 convolution
/// giving, per cell, 11 class logits (0 = no digit, d + 1 = digit d) followed by 5 box values (x, y, w, h, confidence
/// before the sigmoid) — the two heads of DESIGN §2b's <c>Detector</c> (<c>[Head("Classes", From = "features"),
/// Conv2d(11, 1)]</c>, <c>[Head("Boxes", From = "features"), Conv2d(5, 1), Sigmoid]</c>) as one 16-channel tensor,
/// in the order the two heads concatenate (<see cref="DigitYolo.Split"/> separates them and applies the sigmoid).
/// </summary>
[Model(Channels = 1, Height = 64, Width = 64)]
[Stage("Backbone")]
[Conv2d(16, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(32, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(64, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(64, 3, Padding = 1), BatchNorm2d, ReLU, Conv2d(64, 3, Padding = 1), BatchNorm2d, ReLU]
[Stage("Head"), Conv2d(16, 1)]
public partial class DigitDetectorNet;
