namespace ModelDsl.Augmentation;

/// <summary>The sub-policies of <see cref="AutoAugment"/>: those learned on ImageNet, CIFAR-10 or SVHN (torchvision's <c>AutoAugmentPolicy</c>).</summary>
public enum AutoAugmentPolicy
{
    ImageNet,
    Cifar10,
    Svhn,
}
