namespace ModelDsl.Augmentation;

/// <summary>
/// The image operations of torchvision's AutoAugment family (<c>_apply_op</c> in <c>transforms/autoaugment.py</c>), by
/// torchvision's names; <see cref="AugmentationOps"/> applies them.
/// </summary>
internal enum AugmentOp
{
    Identity,
    ShearX,
    ShearY,
    TranslateX,
    TranslateY,
    Rotate,
    Brightness,
    Color,
    Contrast,
    Sharpness,
    Posterize,
    Solarize,
    AutoContrast,
    Equalize,
    Invert,
}
