namespace ModelDsl.Samples;

/// <summary>
/// A YOLO-style digit detector's shape (DESIGN.md §2b): a 64×64 grey canvas, a backbone that pools it three times
/// to an S = 8 grid of 8×8-pixel cells, and two heads on the same features. "Classes" scores 11 classes per cell
/// (10 digits + background), "Boxes" gives per cell an objectness and a box (x, y, w, h), squashed into (0, 1)
/// by a Sigmoid. forward returns a <see cref="TwoHeadDetectorOutput"/> (Classes N×11×8×8, Boxes N×5×8×8).
/// </summary>
[Model(Channels = 1, Height = 64, Width = 64)]
[Stage("Backbone"), Conv2d(16, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(32, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(64, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2), Tap("features")]
[Head("Classes", From = "features"), Conv2d(64, 3, Padding = 1), ReLU, Conv2d(11, 1)]
[Head("Boxes", From = "features"), Conv2d(64, 3, Padding = 1), ReLU, Conv2d(5, 1), Sigmoid]
public partial class TwoHeadDetector;
