using TorchSharp;

namespace ModelDsl.Samples;

/// <summary>A small 3×32×32 classifier: two conv blocks down to 32×5×5, then two Linear layers.</summary>
[Model(Channels = 3, Height = 32, Width = 32)]
[Conv2d(16, 5), ReLU, MaxPool2d(2), Conv2d(32, 5), ReLU, MaxPool2d(2)]
[Flatten, Linear(64), ReLU, Linear(10)]
public partial class SmallClassifier;

/// <summary>
/// The course's FCN ("convolutionize"): <see cref="SmallClassifier"/> with its Linear layers as convolutions —
/// Linear(800 → 64) on the flattened 32×5×5 map is a 5×5 conv with 64 filters, Linear(64 → 10) a 1×1 conv.
/// Declared with Channels alone, it runs on any image of at least 32×32 and gives a map of class scores, one
/// per 32×32 window (stride 4): on 32×32 exactly the classifier's 10 scores.
/// </summary>
[Model(Channels = 3)]
[Conv2d(16, 5), ReLU, MaxPool2d(2), Conv2d(32, 5), ReLU, MaxPool2d(2)]
[Conv2d(64, 5), ReLU, Conv2d(10, 1)]
public partial class SmallClassifierFcn
{
    /// <summary>An FCN with a trained classifier's weights: the convolutions copied, each Linear's weight reshaped into its conv's kernel.</summary>
    public static SmallClassifierFcn FromClassifier(SmallClassifier classifier)
    {
        var fcn = new SmallClassifierFcn();
        using var noGrad = torch.no_grad();
        fcn.Conv1.weight!.copy_(classifier.Conv1.weight!);
        fcn.Conv1.bias!.copy_(classifier.Conv1.bias!);
        fcn.Conv2.weight!.copy_(classifier.Conv2.weight!);
        fcn.Conv2.bias!.copy_(classifier.Conv2.bias!);
        // Flatten orders the map C, H, W: a Linear row over 32·5·5 inputs is one 32×5×5 kernel.
        fcn.Conv3.weight!.copy_(classifier.Linear1.weight!.view(64, 32, 5, 5));
        fcn.Conv3.bias!.copy_(classifier.Linear1.bias!);
        fcn.Conv4.weight!.copy_(classifier.Linear2.weight!.view(10, 64, 1, 1));
        fcn.Conv4.bias!.copy_(classifier.Linear2.bias!);
        return fcn;
    }
}
