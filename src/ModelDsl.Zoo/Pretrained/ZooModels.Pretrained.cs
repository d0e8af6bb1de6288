namespace ModelDsl.Zoo;

// Each zoo model's torchvision ImageNet weights: Model.Pretrained() downloads (or reads) the published file, checks it, loads it
// strictly and returns the model in eval mode, ready for Predict. The file is kept in WeightsCache.Folder.

public partial class ResNet18
{
    /// <summary>torchvision's ImageNet weights for this model (<see cref="TorchvisionWeights.ResNet18"/>).</summary>
    public static PretrainedWeights Weights => TorchvisionWeights.ResNet18;

    /// <summary>
    /// A ResNet18 with torchvision's ImageNet weights, in eval mode: read from <paramref name="path"/> when given, else from the
    /// cache, downloaded there (from <paramref name="mirror"/> when given) if missing. A wrong or truncated file is named.
    /// </summary>
    public static ResNet18 Pretrained(string? path = null, Uri? mirror = null)
        => WeightsCache.LoadAsync(new ResNet18(), mirror is null ? Weights : Weights.WithBaseUrl(mirror), path).GetAwaiter().GetResult();

    /// <summary>The pretrained ResNet18's backbone under a fresh head for <paramref name="numClasses"/> classes, for fine-tuning (<see cref="ZooFineTuning"/>).</summary>
    public static ResNet18 Pretrained(long numClasses, string? path = null, Uri? mirror = null)
    {
        using var imageNet = Pretrained(path, mirror);
        return ZooFineTuning.WithNewHead(imageNet, numClasses);
    }
}

public partial class ResNet34
{
    /// <summary>torchvision's ImageNet weights for this model (<see cref="TorchvisionWeights.ResNet34"/>).</summary>
    public static PretrainedWeights Weights => TorchvisionWeights.ResNet34;

    /// <summary>
    /// A ResNet34 with torchvision's ImageNet weights, in eval mode: read from <paramref name="path"/> when given, else from the
    /// cache, downloaded there (from <paramref name="mirror"/> when given) if missing. A wrong or truncated file is named.
    /// </summary>
    public static ResNet34 Pretrained(string? path = null, Uri? mirror = null)
        => WeightsCache.LoadAsync(new ResNet34(), mirror is null ? Weights : Weights.WithBaseUrl(mirror), path).GetAwaiter().GetResult();

    /// <summary>The pretrained ResNet34's backbone under a fresh head for <paramref name="numClasses"/> classes, for fine-tuning (<see cref="ZooFineTuning"/>).</summary>
    public static ResNet34 Pretrained(long numClasses, string? path = null, Uri? mirror = null)
    {
        using var imageNet = Pretrained(path, mirror);
        return ZooFineTuning.WithNewHead(imageNet, numClasses);
    }
}

public partial class ResNet50
{
    /// <summary>torchvision's ImageNet weights for this model (<see cref="TorchvisionWeights.ResNet50"/>).</summary>
    public static PretrainedWeights Weights => TorchvisionWeights.ResNet50;

    /// <summary>
    /// A ResNet50 with torchvision's ImageNet weights, in eval mode: read from <paramref name="path"/> when given, else from the
    /// cache, downloaded there (from <paramref name="mirror"/> when given) if missing. A wrong or truncated file is named.
    /// </summary>
    public static ResNet50 Pretrained(string? path = null, Uri? mirror = null)
        => WeightsCache.LoadAsync(new ResNet50(), mirror is null ? Weights : Weights.WithBaseUrl(mirror), path).GetAwaiter().GetResult();

    /// <summary>The pretrained ResNet50's backbone under a fresh head for <paramref name="numClasses"/> classes, for fine-tuning (<see cref="ZooFineTuning"/>).</summary>
    public static ResNet50 Pretrained(long numClasses, string? path = null, Uri? mirror = null)
    {
        using var imageNet = Pretrained(path, mirror);
        return ZooFineTuning.WithNewHead(imageNet, numClasses);
    }
}

public partial class Vgg11Bn
{
    /// <summary>torchvision's ImageNet weights for this model (<see cref="TorchvisionWeights.Vgg11Bn"/>).</summary>
    public static PretrainedWeights Weights => TorchvisionWeights.Vgg11Bn;

    /// <summary>
    /// A Vgg11Bn with torchvision's ImageNet weights, in eval mode: read from <paramref name="path"/> when given, else from the
    /// cache, downloaded there (from <paramref name="mirror"/> when given) if missing. A wrong or truncated file is named.
    /// </summary>
    public static Vgg11Bn Pretrained(string? path = null, Uri? mirror = null)
        => WeightsCache.LoadAsync(new Vgg11Bn(), mirror is null ? Weights : Weights.WithBaseUrl(mirror), path).GetAwaiter().GetResult();

    /// <summary>The pretrained Vgg11Bn's backbone under a fresh head for <paramref name="numClasses"/> classes, for fine-tuning (<see cref="ZooFineTuning"/>).</summary>
    public static Vgg11Bn Pretrained(long numClasses, string? path = null, Uri? mirror = null)
    {
        using var imageNet = Pretrained(path, mirror);
        return ZooFineTuning.WithNewHead(imageNet, numClasses);
    }
}

public partial class Vgg16Bn
{
    /// <summary>torchvision's ImageNet weights for this model (<see cref="TorchvisionWeights.Vgg16Bn"/>).</summary>
    public static PretrainedWeights Weights => TorchvisionWeights.Vgg16Bn;

    /// <summary>
    /// A Vgg16Bn with torchvision's ImageNet weights, in eval mode: read from <paramref name="path"/> when given, else from the
    /// cache, downloaded there (from <paramref name="mirror"/> when given) if missing. A wrong or truncated file is named.
    /// </summary>
    public static Vgg16Bn Pretrained(string? path = null, Uri? mirror = null)
        => WeightsCache.LoadAsync(new Vgg16Bn(), mirror is null ? Weights : Weights.WithBaseUrl(mirror), path).GetAwaiter().GetResult();

    /// <summary>The pretrained Vgg16Bn's backbone under a fresh head for <paramref name="numClasses"/> classes, for fine-tuning (<see cref="ZooFineTuning"/>).</summary>
    public static Vgg16Bn Pretrained(long numClasses, string? path = null, Uri? mirror = null)
    {
        using var imageNet = Pretrained(path, mirror);
        return ZooFineTuning.WithNewHead(imageNet, numClasses);
    }
}

public partial class SqueezeNet1_1
{
    /// <summary>torchvision's ImageNet weights for this model (<see cref="TorchvisionWeights.SqueezeNet1_1"/>).</summary>
    public static PretrainedWeights Weights => TorchvisionWeights.SqueezeNet1_1;

    /// <summary>
    /// A SqueezeNet1_1 with torchvision's ImageNet weights, in eval mode: read from <paramref name="path"/> when given, else from the
    /// cache, downloaded there (from <paramref name="mirror"/> when given) if missing. A wrong or truncated file is named.
    /// </summary>
    public static SqueezeNet1_1 Pretrained(string? path = null, Uri? mirror = null)
        => WeightsCache.LoadAsync(new SqueezeNet1_1(), mirror is null ? Weights : Weights.WithBaseUrl(mirror), path).GetAwaiter().GetResult();

    /// <summary>The pretrained SqueezeNet1_1's backbone under a fresh head for <paramref name="numClasses"/> classes, for fine-tuning (<see cref="ZooFineTuning"/>).</summary>
    public static SqueezeNet1_1 Pretrained(long numClasses, string? path = null, Uri? mirror = null)
    {
        using var imageNet = Pretrained(path, mirror);
        return ZooFineTuning.WithNewHead(imageNet, numClasses);
    }
}

public partial class MobileNetV2
{
    /// <summary>torchvision's ImageNet weights for this model (<see cref="TorchvisionWeights.MobileNetV2"/>).</summary>
    public static PretrainedWeights Weights => TorchvisionWeights.MobileNetV2;

    /// <summary>
    /// A MobileNetV2 with torchvision's ImageNet weights, in eval mode: read from <paramref name="path"/> when given, else from the
    /// cache, downloaded there (from <paramref name="mirror"/> when given) if missing. A wrong or truncated file is named.
    /// </summary>
    public static MobileNetV2 Pretrained(string? path = null, Uri? mirror = null)
        => WeightsCache.LoadAsync(new MobileNetV2(), mirror is null ? Weights : Weights.WithBaseUrl(mirror), path).GetAwaiter().GetResult();

    /// <summary>The pretrained MobileNetV2's backbone under a fresh head for <paramref name="numClasses"/> classes, for fine-tuning (<see cref="ZooFineTuning"/>).</summary>
    public static MobileNetV2 Pretrained(long numClasses, string? path = null, Uri? mirror = null)
    {
        using var imageNet = Pretrained(path, mirror);
        return ZooFineTuning.WithNewHead(imageNet, numClasses);
    }
}

public partial class MobileNetV3Large
{
    /// <summary>torchvision's ImageNet weights for this model (<see cref="TorchvisionWeights.MobileNetV3Large"/>).</summary>
    public static PretrainedWeights Weights => TorchvisionWeights.MobileNetV3Large;

    /// <summary>
    /// A MobileNetV3Large with torchvision's ImageNet weights, in eval mode: read from <paramref name="path"/> when given, else from the
    /// cache, downloaded there (from <paramref name="mirror"/> when given) if missing. A wrong or truncated file is named.
    /// </summary>
    public static MobileNetV3Large Pretrained(string? path = null, Uri? mirror = null)
        => WeightsCache.LoadAsync(new MobileNetV3Large(), mirror is null ? Weights : Weights.WithBaseUrl(mirror), path).GetAwaiter().GetResult();

    /// <summary>The pretrained MobileNetV3Large's backbone under a fresh head for <paramref name="numClasses"/> classes, for fine-tuning (<see cref="ZooFineTuning"/>).</summary>
    public static MobileNetV3Large Pretrained(long numClasses, string? path = null, Uri? mirror = null)
    {
        using var imageNet = Pretrained(path, mirror);
        return ZooFineTuning.WithNewHead(imageNet, numClasses);
    }
}

public partial class MobileNetV3Small
{
    /// <summary>torchvision's ImageNet weights for this model (<see cref="TorchvisionWeights.MobileNetV3Small"/>).</summary>
    public static PretrainedWeights Weights => TorchvisionWeights.MobileNetV3Small;

    /// <summary>
    /// A MobileNetV3Small with torchvision's ImageNet weights, in eval mode: read from <paramref name="path"/> when given, else from the
    /// cache, downloaded there (from <paramref name="mirror"/> when given) if missing. A wrong or truncated file is named.
    /// </summary>
    public static MobileNetV3Small Pretrained(string? path = null, Uri? mirror = null)
        => WeightsCache.LoadAsync(new MobileNetV3Small(), mirror is null ? Weights : Weights.WithBaseUrl(mirror), path).GetAwaiter().GetResult();

    /// <summary>The pretrained MobileNetV3Small's backbone under a fresh head for <paramref name="numClasses"/> classes, for fine-tuning (<see cref="ZooFineTuning"/>).</summary>
    public static MobileNetV3Small Pretrained(long numClasses, string? path = null, Uri? mirror = null)
    {
        using var imageNet = Pretrained(path, mirror);
        return ZooFineTuning.WithNewHead(imageNet, numClasses);
    }
}

public partial class EfficientNetB0
{
    /// <summary>torchvision's ImageNet weights for this model (<see cref="TorchvisionWeights.EfficientNetB0"/>).</summary>
    public static PretrainedWeights Weights => TorchvisionWeights.EfficientNetB0;

    /// <summary>
    /// A EfficientNetB0 with torchvision's ImageNet weights, in eval mode: read from <paramref name="path"/> when given, else from the
    /// cache, downloaded there (from <paramref name="mirror"/> when given) if missing. A wrong or truncated file is named.
    /// </summary>
    public static EfficientNetB0 Pretrained(string? path = null, Uri? mirror = null)
        => WeightsCache.LoadAsync(new EfficientNetB0(), mirror is null ? Weights : Weights.WithBaseUrl(mirror), path).GetAwaiter().GetResult();

    /// <summary>The pretrained EfficientNetB0's backbone under a fresh head for <paramref name="numClasses"/> classes, for fine-tuning (<see cref="ZooFineTuning"/>).</summary>
    public static EfficientNetB0 Pretrained(long numClasses, string? path = null, Uri? mirror = null)
    {
        using var imageNet = Pretrained(path, mirror);
        return ZooFineTuning.WithNewHead(imageNet, numClasses);
    }
}

public partial class RegNetX400MF
{
    /// <summary>torchvision's ImageNet weights for this model (<see cref="TorchvisionWeights.RegNetX400MF"/>).</summary>
    public static PretrainedWeights Weights => TorchvisionWeights.RegNetX400MF;

    /// <summary>
    /// A RegNetX400MF with torchvision's ImageNet weights, in eval mode: read from <paramref name="path"/> when given, else from the
    /// cache, downloaded there (from <paramref name="mirror"/> when given) if missing. A wrong or truncated file is named.
    /// </summary>
    public static RegNetX400MF Pretrained(string? path = null, Uri? mirror = null)
        => WeightsCache.LoadAsync(new RegNetX400MF(), mirror is null ? Weights : Weights.WithBaseUrl(mirror), path).GetAwaiter().GetResult();

    /// <summary>The pretrained RegNetX400MF's backbone under a fresh head for <paramref name="numClasses"/> classes, for fine-tuning (<see cref="ZooFineTuning"/>).</summary>
    public static RegNetX400MF Pretrained(long numClasses, string? path = null, Uri? mirror = null)
    {
        using var imageNet = Pretrained(path, mirror);
        return ZooFineTuning.WithNewHead(imageNet, numClasses);
    }
}

public partial class DenseNet121
{
    /// <summary>torchvision's ImageNet weights for this model (<see cref="TorchvisionWeights.DenseNet121"/>).</summary>
    public static PretrainedWeights Weights => TorchvisionWeights.DenseNet121;

    /// <summary>
    /// A DenseNet121 with torchvision's ImageNet weights, in eval mode: read from <paramref name="path"/> when given, else from the
    /// cache, downloaded there (from <paramref name="mirror"/> when given) if missing. A wrong or truncated file is named.
    /// </summary>
    public static DenseNet121 Pretrained(string? path = null, Uri? mirror = null)
        => WeightsCache.LoadAsync(new DenseNet121(), mirror is null ? Weights : Weights.WithBaseUrl(mirror), path).GetAwaiter().GetResult();

    /// <summary>The pretrained DenseNet121's backbone under a fresh head for <paramref name="numClasses"/> classes, for fine-tuning (<see cref="ZooFineTuning"/>).</summary>
    public static DenseNet121 Pretrained(long numClasses, string? path = null, Uri? mirror = null)
    {
        using var imageNet = Pretrained(path, mirror);
        return ZooFineTuning.WithNewHead(imageNet, numClasses);
    }
}

public partial class ShuffleNetV2X0_5
{
    /// <summary>torchvision's ImageNet weights for this model (<see cref="TorchvisionWeights.ShuffleNetV2X0_5"/>).</summary>
    public static PretrainedWeights Weights => TorchvisionWeights.ShuffleNetV2X0_5;

    /// <summary>
    /// A ShuffleNetV2X0_5 with torchvision's ImageNet weights, in eval mode: read from <paramref name="path"/> when given, else from the
    /// cache, downloaded there (from <paramref name="mirror"/> when given) if missing. A wrong or truncated file is named.
    /// </summary>
    public static ShuffleNetV2X0_5 Pretrained(string? path = null, Uri? mirror = null)
        => WeightsCache.LoadAsync(new ShuffleNetV2X0_5(), mirror is null ? Weights : Weights.WithBaseUrl(mirror), path).GetAwaiter().GetResult();

    /// <summary>The pretrained ShuffleNetV2X0_5's backbone under a fresh head for <paramref name="numClasses"/> classes, for fine-tuning (<see cref="ZooFineTuning"/>).</summary>
    public static ShuffleNetV2X0_5 Pretrained(long numClasses, string? path = null, Uri? mirror = null)
    {
        using var imageNet = Pretrained(path, mirror);
        return ZooFineTuning.WithNewHead(imageNet, numClasses);
    }
}

public partial class GoogLeNet
{
    /// <summary>torchvision's ImageNet weights for this model (<see cref="TorchvisionWeights.GoogLeNet"/>).</summary>
    public static PretrainedWeights Weights => TorchvisionWeights.GoogLeNet;

    /// <summary>
    /// A GoogLeNet with torchvision's ImageNet weights, in eval mode: read from <paramref name="path"/> when given, else from the
    /// cache, downloaded there (from <paramref name="mirror"/> when given) if missing. A wrong or truncated file is named.
    /// </summary>
    public static GoogLeNet Pretrained(string? path = null, Uri? mirror = null)
        => WeightsCache.LoadAsync(new GoogLeNet(), mirror is null ? Weights : Weights.WithBaseUrl(mirror), path).GetAwaiter().GetResult();

    /// <summary>The pretrained GoogLeNet's backbone under a fresh head for <paramref name="numClasses"/> classes, for fine-tuning (<see cref="ZooFineTuning"/>).</summary>
    public static GoogLeNet Pretrained(long numClasses, string? path = null, Uri? mirror = null)
    {
        using var imageNet = Pretrained(path, mirror);
        return ZooFineTuning.WithNewHead(imageNet, numClasses);
    }
}

public partial class ConvNeXtTiny
{
    /// <summary>torchvision's ImageNet weights for this model (<see cref="TorchvisionWeights.ConvNeXtTiny"/>).</summary>
    public static PretrainedWeights Weights => TorchvisionWeights.ConvNeXtTiny;

    /// <summary>
    /// A ConvNeXtTiny with torchvision's ImageNet weights, in eval mode: read from <paramref name="path"/> when given, else from the
    /// cache, downloaded there (from <paramref name="mirror"/> when given) if missing. A wrong or truncated file is named.
    /// </summary>
    public static ConvNeXtTiny Pretrained(string? path = null, Uri? mirror = null)
        => WeightsCache.LoadAsync(new ConvNeXtTiny(), mirror is null ? Weights : Weights.WithBaseUrl(mirror), path).GetAwaiter().GetResult();

    /// <summary>The pretrained ConvNeXtTiny's backbone under a fresh head for <paramref name="numClasses"/> classes, for fine-tuning (<see cref="ZooFineTuning"/>).</summary>
    public static ConvNeXtTiny Pretrained(long numClasses, string? path = null, Uri? mirror = null)
    {
        using var imageNet = Pretrained(path, mirror);
        return ZooFineTuning.WithNewHead(imageNet, numClasses);
    }
}
