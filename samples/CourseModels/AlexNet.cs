namespace ModelDsl.Samples;

/// <summary>
/// torchvision's AlexNet on 3×224×224, with torchvision's state_dict keys (<c>features.0.weight</c> …
/// <c>classifier.6.bias</c>): a file saved from <c>torchvision.models.alexnet()</c> loads with <c>LoadFromPyTorch(path)</c>
/// and no name map. PyTorch: 61,100,840 parameters.
/// </summary>
[Model(Channels = 3, Height = 224, Width = 224)]
[Stage("features")]
[Conv2d(64, 11, Stride = 4, Padding = 2, Key = "0"), ReLU(Key = "1"), MaxPool2d(3, Stride = 2, Key = "2")]
[Conv2d(192, 5, Padding = 2, Key = "3"), ReLU(Key = "4"), MaxPool2d(3, Stride = 2, Key = "5")]
[Conv2d(384, 3, Padding = 1, Key = "6"), ReLU(Key = "7")]
[Conv2d(256, 3, Padding = 1, Key = "8"), ReLU(Key = "9")]
[Conv2d(256, 3, Padding = 1, Key = "10"), ReLU(Key = "11"), MaxPool2d(3, Stride = 2, Key = "12")]
// torchvision's avgpool and torch.flatten hold no tensors; here they end the features stage.
[AdaptiveAvgPool2d(6, 6, Key = "avgpool"), Flatten(Key = "flatten")]
[Stage("classifier")]
[Dropout(Key = "0"), Linear(4096, Key = "1"), ReLU(Key = "2")]
[Dropout(Key = "3"), Linear(4096, Key = "4"), ReLU(Key = "5")]
[Linear(1000, Key = "6")]
public partial class AlexNet;
