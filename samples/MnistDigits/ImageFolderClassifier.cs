using TorchSharp;
using static TorchSharp.torch;

namespace MnistDigits;

/// <summary>The DSL-declared <see cref="FolderFeatures"/> plus a Linear head sized to the dataset's classes.</summary>
public sealed class ImageFolderClassifier : nn.Module<Tensor, Tensor>
{
    private readonly FolderFeatures features = new();
    private readonly TorchSharp.Modules.Linear head;

    public ImageFolderClassifier(int classes) : base(nameof(ImageFolderClassifier))
    {
        head = nn.Linear(FolderFeatures.OutputShape.Features, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var f = features.forward(input);
        return head.forward(f);
    }
}
