using TorchSharp;

namespace ModelDsl.Data;

/// <summary>
/// A detection dataset with random access: every sample is an image (float32 C×H×W in [0,1], all of one
/// size) and its boxes in that image's pixels (none for a background image). Get may be called from
/// several threads.
/// </summary>
public interface IDetectionDataset
{
    int Count { get; }
    IReadOnlyList<string> ClassNames { get; }
    int Channels { get; }
    int Height { get; }
    int Width { get; }

    /// <summary>Sample <paramref name="index"/> on the CPU, boxes scaled to the returned image; the caller disposes the tensor.</summary>
    (torch.Tensor Image, IReadOnlyList<LabeledBox> Boxes) Get(int index);
}
