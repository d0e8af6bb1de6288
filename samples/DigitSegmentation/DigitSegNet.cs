using ModelDsl;

namespace DigitSegmentation;

/// <summary>
/// The sample's U-Net (grown from samples/CourseModels/DigitUNet.cs): three pooling steps down to 8×8, three
/// transposed convolutions back up, each concatenated with the skip of its size, one logit per class and pixel
/// (background + 10 digits). Why this shape for a 2-core CPU: the cost is in the full-resolution layers, so they
/// are thin (8 channels: they only need to find the ink's edge), while the width (64) sits at 8×8 where it is
/// cheap; the third pooling lets a pixel see about 90 px, the whole digit it belongs to, which is what tells a
/// 3's stroke from an 8's. Batch norm after each convolution so one-cycle AdamW trains it in a few epochs.
/// Declared with Channels alone: any height and width that are multiples of 8.
/// </summary>
[Model(Channels = 1)]
[Stage("Down1"), Conv2d(8, 3, Padding = 1), BatchNorm2d, ReLU, Conv2d(8, 3, Padding = 1), BatchNorm2d, ReLU, Tap("skip1")]
[MaxPool2d(2)]
[Stage("Down2"), Conv2d(16, 3, Padding = 1), BatchNorm2d, ReLU, Conv2d(16, 3, Padding = 1), BatchNorm2d, ReLU, Tap("skip2")]
[MaxPool2d(2)]
[Stage("Down3"), Conv2d(32, 3, Padding = 1), BatchNorm2d, ReLU, Conv2d(32, 3, Padding = 1), BatchNorm2d, ReLU, Tap("skip3")]
[MaxPool2d(2)]
[Stage("Bottom"), Conv2d(64, 3, Padding = 1), BatchNorm2d, ReLU, Conv2d(64, 3, Padding = 1), BatchNorm2d, ReLU]
[Stage("Up3"), ConvTranspose2d(32, 2, Stride = 2), Concat("skip3"), Conv2d(32, 3, Padding = 1), BatchNorm2d, ReLU]
[Stage("Up2"), ConvTranspose2d(16, 2, Stride = 2), Concat("skip2"), Conv2d(16, 3, Padding = 1), BatchNorm2d, ReLU]
[Stage("Up1"), ConvTranspose2d(8, 2, Stride = 2), Concat("skip1"), Conv2d(8, 3, Padding = 1), BatchNorm2d, ReLU]
[Stage("Classifier"), Conv2d(11, 1)]
public partial class DigitSegNet;
