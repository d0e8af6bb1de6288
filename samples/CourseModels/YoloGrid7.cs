namespace ModelDsl.Samples;

/// <summary>
/// YOLO v1's output layout on a small scale: an S×S grid (S = 7 on a 56×56 image) with B = 2 boxes and C = 10
/// classes per cell, B·5 + C = 20 numbers each. The conv head computes them as 20 channels; Permute moves the
/// channels last (PyTorch's <c>permute(0, 2, 3, 1)</c>, 7×7×20) and Reshape lists the 49 cells (49×20), the form
/// a YOLO loss indexes by cell.
/// </summary>
[Model(Channels = 1, Height = 56, Width = 56)]
[Conv2d(16, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(32, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(32, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(20, 1), Permute(1, 2, 0), Reshape(49, 20)]
public partial class YoloGrid7;
