using TorchSharp;

namespace ModelDsl.Data;

/// <summary>
/// A segmentation dataset with random access: every sample is an image (float32 C×H×W in [0,1]) and its
/// mask (int64 H×W of class indices, <see cref="IgnoreIndex"/> where no class is given), all of one size
/// so that a <see cref="SegmentationDataLoader"/> can stack them. Get may be called from several threads.
/// </summary>
public interface ISegmentationDataset
{
    int Count { get; }
    IReadOnlyList<string> ClassNames { get; }
    int Channels { get; }
    int Height { get; }
    int Width { get; }
    /// <summary>The mask value of pixels without a class (Pascal VOC: 255, the object borders).</summary>
    int IgnoreIndex { get; }

    /// <summary>Sample <paramref name="index"/> on the CPU; the caller disposes both tensors.</summary>
    (torch.Tensor Image, torch.Tensor Mask) Get(int index);
}
