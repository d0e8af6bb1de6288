using TorchSharp;
using static TorchSharp.torch;

namespace MnistDigits;

/// <summary>The DSL-declared feature extractor of one <see cref="FolderNet"/> bucket plus a Linear head sized to the dataset's classes.</summary>
public sealed class ImageFolderClassifier : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> features;
    private readonly TorchSharp.Modules.Linear head;

    public ImageFolderClassifier(int classes, FolderNet net) : base(nameof(ImageFolderClassifier))
    {
        Net = net;
        Classes = classes;
        features = net.Create();
        head = nn.Linear(net.Features, classes);
        RegisterComponents();
    }

    public FolderNet Net { get; }

    /// <summary>The classes the head predicts (the folder's).</summary>
    public int Classes { get; }

    public override Tensor forward(Tensor input)
    {
        using var f = features.forward(input);
        return head.forward(f);
    }
}
