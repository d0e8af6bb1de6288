using ModelDsl;

namespace DigitDetection;

/// <summary>
/// The sample's two-head detector (DESIGN §2b) on a 64×64×1 canvas: a backbone that pools three times to an 8×8
/// grid (each cell 8×8 px; a pixel of the last feature map sees about 54 px, a whole digit and its neighbourhood),
/// tapped as "features", and two heads on it — "Classes", per cell 11 logits (0 = no digit, d + 1 = digit d), and
/// "Boxes", per cell x, y, w, h and a confidence squashed into (0, 1). forward returns a
/// <see cref="DigitDetectorNetOutput"/> (Classes N×11×8×8, Boxes N×5×8×8); <see cref="DigitYolo"/> reads it as the
/// course's YOLO grid.
/// </summary>
[Model(Channels = 1, Height = 64, Width = 64)]
[Stage("Backbone")]
[Conv2d(16, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(32, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(64, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(64, 3, Padding = 1), BatchNorm2d, ReLU, Conv2d(64, 3, Padding = 1), BatchNorm2d, ReLU, Tap("features")]
[Head("Classes", From = "features"), Conv2d(11, 1)]
[Head("Boxes", From = "features"), Conv2d(5, 1), Sigmoid]
public partial class DigitDetectorNet;
