using ModelDsl;

namespace Localization;

/// <summary>
/// Overfeat's localiser on a 64×64×1 digit canvas: a conv backbone pooling four times to 64×4×4 (each cell 16 px; no batch norm,
/// so a frozen backbone computes exactly the same features in phase 2), flattened and tapped as "features", and two heads on it —
/// "Classes", 10 digit logits, and "Box", the digit's box as (x1, y1, x2, y2) divided by the canvas side, squashed into (0, 1).
/// forward returns a <see cref="LocalizerNetOutput"/> (Classes N×10, Box N×4).
/// </summary>
[Model(Channels = 1, Height = 64, Width = 64)]
[Stage("Backbone")]
[Conv2d(16, 3, Padding = 1), ReLU, MaxPool2d(2)]
[Conv2d(32, 3, Padding = 1), ReLU, MaxPool2d(2)]
[Conv2d(64, 3, Padding = 1), ReLU, MaxPool2d(2)]
[Conv2d(64, 3, Padding = 1), ReLU, MaxPool2d(2)]
[Flatten, Tap("features")]
[Head("Classes", From = "features"), Linear(128), ReLU, Linear(10)]
[Head("Box", From = "features"), Linear(128), ReLU, Linear(4), Sigmoid]
public partial class LocalizerNet;
