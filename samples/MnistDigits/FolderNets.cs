using ModelDsl;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistDigits;

// The feature extractors for --data pointing at an ImageFolder root, one per input bucket. A DSL model
// has a fixed input shape, checked at compile time and on every forward, so the job resizes each folder to
// the nearest bucket (see FolderDefaults) rather than declaring a net per image size. Gray and colour
// differ only in the first conv's input; 32 and 64 share one stack (three halvings, then global average
// pooling); 128 has one more halving so the last conv still sees the whole object. The number of classes is
// only known at run time, so ImageFolderClassifier puts a Linear head of the right width on the features.

[Model(Channels = 1, Height = 32, Width = 32)]
[Stage("Features")]
[Conv2d(32, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(64, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(128, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(128, 3, Padding = 1), BatchNorm2d, ReLU, GlobalAvgPool]
[Stage("Pooled")]
[Flatten, Dropout(0.3)]
public partial class FolderFeatures1x32;

[Model(Channels = 3, Height = 32, Width = 32)]
[Stage("Features")]
[Conv2d(32, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(64, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(128, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(128, 3, Padding = 1), BatchNorm2d, ReLU, GlobalAvgPool]
[Stage("Pooled")]
[Flatten, Dropout(0.3)]
public partial class FolderFeatures3x32;

[Model(Channels = 1, Height = 64, Width = 64)]
[Stage("Features")]
[Conv2d(32, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(64, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(128, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(128, 3, Padding = 1), BatchNorm2d, ReLU, GlobalAvgPool]
[Stage("Pooled")]
[Flatten, Dropout(0.3)]
public partial class FolderFeatures1x64;

/// <summary>The 3×64×64 net, the only ImageFolder net before the defaults came from the data.</summary>
[Model(Channels = 3, Height = 64, Width = 64)]
[Stage("Features")]
[Conv2d(32, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(64, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(128, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(128, 3, Padding = 1), BatchNorm2d, ReLU, GlobalAvgPool]
[Stage("Pooled")]
[Flatten, Dropout(0.3)]
public partial class FolderFeatures3x64;

[Model(Channels = 1, Height = 128, Width = 128)]
[Stage("Features")]
[Conv2d(32, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(64, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(128, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(128, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(128, 3, Padding = 1), BatchNorm2d, ReLU, GlobalAvgPool]
[Stage("Pooled")]
[Flatten, Dropout(0.3)]
public partial class FolderFeatures1x128;

[Model(Channels = 3, Height = 128, Width = 128)]
[Stage("Features")]
[Conv2d(32, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(64, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(128, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(128, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(128, 3, Padding = 1), BatchNorm2d, ReLU, GlobalAvgPool]
[Stage("Pooled")]
[Flatten, Dropout(0.3)]
public partial class FolderFeatures3x128;

/// <summary>One input bucket: its shape, the DSL net's name, summary and feature width, and a factory.</summary>
public sealed record FolderNet(int Channels, int Size, string Name, string Summary, long Features, Func<nn.Module<Tensor, Tensor>> Create)
{
    /// <summary>The square input sizes a folder net exists for, smallest first.</summary>
    public static IReadOnlyList<int> Sizes { get; } = [32, 64, 128];

    public static IReadOnlyList<FolderNet> All { get; } =
    [
        new(1, 32, nameof(FolderFeatures1x32), FolderFeatures1x32.Summary, FolderFeatures1x32.OutputShape.Features, () => new FolderFeatures1x32()),
        new(3, 32, nameof(FolderFeatures3x32), FolderFeatures3x32.Summary, FolderFeatures3x32.OutputShape.Features, () => new FolderFeatures3x32()),
        new(1, 64, nameof(FolderFeatures1x64), FolderFeatures1x64.Summary, FolderFeatures1x64.OutputShape.Features, () => new FolderFeatures1x64()),
        new(3, 64, nameof(FolderFeatures3x64), FolderFeatures3x64.Summary, FolderFeatures3x64.OutputShape.Features, () => new FolderFeatures3x64()),
        new(1, 128, nameof(FolderFeatures1x128), FolderFeatures1x128.Summary, FolderFeatures1x128.OutputShape.Features, () => new FolderFeatures1x128()),
        new(3, 128, nameof(FolderFeatures3x128), FolderFeatures3x128.Summary, FolderFeatures3x128.OutputShape.Features, () => new FolderFeatures3x128()),
    ];

    /// <summary>The net for <paramref name="channels"/>×<paramref name="size"/>×<paramref name="size"/>; both must be one of the declared buckets.</summary>
    public static FolderNet For(int channels, int size) =>
        All.SingleOrDefault(n => n.Channels == channels && n.Size == size)
        ?? throw new ArgumentOutOfRangeException(nameof(size), $"No folder net for {channels}×{size}×{size}; the nets are {string.Join(", ", All.Select(n => $"{n.Channels}×{n.Size}×{n.Size}"))}.");
}
