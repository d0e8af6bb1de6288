namespace ModelDsl.Zoo;

/// <summary>
/// torchvision's published ImageNet weights for the zoo's models (each model's <c>IMAGENET1K_V1</c>, read from torchvision
/// 0.14's weight descriptions): the file's URL (whose name carries the start of its SHA-256, as torchvision checks it), the
/// parameter count, the preprocessing the weights were trained with and their ImageNet accuracy. Load one with the model's
/// <c>Pretrained(…)</c>.
/// </summary>
public static class TorchvisionWeights
{
    public static PretrainedWeights ResNet18 { get; } = new("ResNet18", "torchvision.models.ResNet18_Weights.IMAGENET1K_V1", new Uri("https://download.pytorch.org/models/resnet18-f37072fd.pth"), 11_689_512L,
        new ImagePreprocessing(256, 224, new[] { 0.485f, 0.456f, 0.406f }, new[] { 0.229f, 0.224f, 0.225f }, ImageInterpolation.Bilinear), 69.758, 89.078);

    public static PretrainedWeights ResNet34 { get; } = new("ResNet34", "torchvision.models.ResNet34_Weights.IMAGENET1K_V1", new Uri("https://download.pytorch.org/models/resnet34-b627a593.pth"), 21_797_672L,
        new ImagePreprocessing(256, 224, new[] { 0.485f, 0.456f, 0.406f }, new[] { 0.229f, 0.224f, 0.225f }, ImageInterpolation.Bilinear), 73.314, 91.42);

    public static PretrainedWeights ResNet50 { get; } = new("ResNet50", "torchvision.models.ResNet50_Weights.IMAGENET1K_V1", new Uri("https://download.pytorch.org/models/resnet50-0676ba61.pth"), 25_557_032L,
        new ImagePreprocessing(256, 224, new[] { 0.485f, 0.456f, 0.406f }, new[] { 0.229f, 0.224f, 0.225f }, ImageInterpolation.Bilinear), 76.13, 92.862);

    public static PretrainedWeights Vgg11Bn { get; } = new("Vgg11Bn", "torchvision.models.VGG11_BN_Weights.IMAGENET1K_V1", new Uri("https://download.pytorch.org/models/vgg11_bn-6002323d.pth"), 132_868_840L,
        new ImagePreprocessing(256, 224, new[] { 0.485f, 0.456f, 0.406f }, new[] { 0.229f, 0.224f, 0.225f }, ImageInterpolation.Bilinear), 70.37, 89.81);

    public static PretrainedWeights Vgg16Bn { get; } = new("Vgg16Bn", "torchvision.models.VGG16_BN_Weights.IMAGENET1K_V1", new Uri("https://download.pytorch.org/models/vgg16_bn-6c64b313.pth"), 138_365_992L,
        new ImagePreprocessing(256, 224, new[] { 0.485f, 0.456f, 0.406f }, new[] { 0.229f, 0.224f, 0.225f }, ImageInterpolation.Bilinear), 73.36, 91.516);

    public static PretrainedWeights SqueezeNet1_1 { get; } = new("SqueezeNet1_1", "torchvision.models.SqueezeNet1_1_Weights.IMAGENET1K_V1", new Uri("https://download.pytorch.org/models/squeezenet1_1-b8a52dc0.pth"), 1_235_496L,
        new ImagePreprocessing(256, 224, new[] { 0.485f, 0.456f, 0.406f }, new[] { 0.229f, 0.224f, 0.225f }, ImageInterpolation.Bilinear), 58.178, 80.624);

    public static PretrainedWeights MobileNetV2 { get; } = new("MobileNetV2", "torchvision.models.MobileNet_V2_Weights.IMAGENET1K_V1", new Uri("https://download.pytorch.org/models/mobilenet_v2-b0353104.pth"), 3_504_872L,
        new ImagePreprocessing(256, 224, new[] { 0.485f, 0.456f, 0.406f }, new[] { 0.229f, 0.224f, 0.225f }, ImageInterpolation.Bilinear), 71.878, 90.286);

    public static PretrainedWeights MobileNetV3Large { get; } = new("MobileNetV3Large", "torchvision.models.MobileNet_V3_Large_Weights.IMAGENET1K_V1", new Uri("https://download.pytorch.org/models/mobilenet_v3_large-8738ca79.pth"), 5_483_032L,
        new ImagePreprocessing(256, 224, new[] { 0.485f, 0.456f, 0.406f }, new[] { 0.229f, 0.224f, 0.225f }, ImageInterpolation.Bilinear), 74.042, 91.34);

    public static PretrainedWeights MobileNetV3Small { get; } = new("MobileNetV3Small", "torchvision.models.MobileNet_V3_Small_Weights.IMAGENET1K_V1", new Uri("https://download.pytorch.org/models/mobilenet_v3_small-047dcff4.pth"), 2_542_856L,
        new ImagePreprocessing(256, 224, new[] { 0.485f, 0.456f, 0.406f }, new[] { 0.229f, 0.224f, 0.225f }, ImageInterpolation.Bilinear), 67.668, 87.402);

    public static PretrainedWeights EfficientNetB0 { get; } = new("EfficientNetB0", "torchvision.models.EfficientNet_B0_Weights.IMAGENET1K_V1", new Uri("https://download.pytorch.org/models/efficientnet_b0_rwightman-3dd342df.pth"), 5_288_548L,
        new ImagePreprocessing(256, 224, new[] { 0.485f, 0.456f, 0.406f }, new[] { 0.229f, 0.224f, 0.225f }, ImageInterpolation.Bicubic), 77.692, 93.532);

    public static PretrainedWeights RegNetX400MF { get; } = new("RegNetX400MF", "torchvision.models.RegNet_X_400MF_Weights.IMAGENET1K_V1", new Uri("https://download.pytorch.org/models/regnet_x_400mf-adf1edd5.pth"), 5_495_976L,
        new ImagePreprocessing(256, 224, new[] { 0.485f, 0.456f, 0.406f }, new[] { 0.229f, 0.224f, 0.225f }, ImageInterpolation.Bilinear), 72.834, 90.95);

    public static PretrainedWeights DenseNet121 { get; } = new("DenseNet121", "torchvision.models.DenseNet121_Weights.IMAGENET1K_V1", new Uri("https://download.pytorch.org/models/densenet121-a639ec97.pth"), 7_978_856L,
        new ImagePreprocessing(256, 224, new[] { 0.485f, 0.456f, 0.406f }, new[] { 0.229f, 0.224f, 0.225f }, ImageInterpolation.Bilinear), 74.434, 91.972);

    public static PretrainedWeights ShuffleNetV2X0_5 { get; } = new("ShuffleNetV2X0_5", "torchvision.models.ShuffleNet_V2_X0_5_Weights.IMAGENET1K_V1", new Uri("https://download.pytorch.org/models/shufflenetv2_x0.5-f707e7126e.pth"), 1_366_792L,
        new ImagePreprocessing(256, 224, new[] { 0.485f, 0.456f, 0.406f }, new[] { 0.229f, 0.224f, 0.225f }, ImageInterpolation.Bilinear), 60.552, 81.746);

    // torchvision turns transform_input on with these weights: it maps an ImageNet-normalised image to (p − 0.5) / 0.5,
    // which is this preprocessing, so the model (without transform_input) gets what the weights expect. The file also
    // holds the auxiliary heads (aux1, aux2), left out on loading as torchvision does.
    public static PretrainedWeights GoogLeNet { get; } = new("GoogLeNet", "torchvision.models.GoogLeNet_Weights.IMAGENET1K_V1", new Uri("https://download.pytorch.org/models/googlenet-1378be20.pth"), 6_624_904L,
        new ImagePreprocessing(256, 224, new[] { 0.5f, 0.5f, 0.5f }, new[] { 0.5f, 0.5f, 0.5f }, ImageInterpolation.Bilinear), 69.778, 89.53, Skip: new[] { "aux1", "aux2" });

    public static PretrainedWeights ConvNeXtTiny { get; } = new("ConvNeXtTiny", "torchvision.models.ConvNeXt_Tiny_Weights.IMAGENET1K_V1", new Uri("https://download.pytorch.org/models/convnext_tiny-983f1562.pth"), 28_589_128L,
        new ImagePreprocessing(236, 224, new[] { 0.485f, 0.456f, 0.406f }, new[] { 0.229f, 0.224f, 0.225f }, ImageInterpolation.Bilinear), 82.52, 96.146);

    /// <summary>Every model's weights.</summary>
    public static IReadOnlyList<PretrainedWeights> All { get; } = new[]
    {
        ResNet18, ResNet34, ResNet50, Vgg11Bn, Vgg16Bn, SqueezeNet1_1, MobileNetV2, MobileNetV3Large, MobileNetV3Small,
        EfficientNetB0, RegNetX400MF, DenseNet121, ShuffleNetV2X0_5, GoogLeNet, ConvNeXtTiny,
    };
}
