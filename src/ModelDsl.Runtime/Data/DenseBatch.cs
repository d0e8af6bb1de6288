using TorchSharp;

namespace ModelDsl.Data;

/// <summary>
/// A batch of a dense task as the paired augmentations see it: images N×C×H×W (float), optionally their
/// masks N×H×W (int64 class indices) and their boxes N×M×4 (float32, xyxy pixels) with classes N×M
/// (int64; −1 marks an empty row, anywhere in the row order). The owner disposes it.
/// </summary>
public sealed record DenseBatch(torch.Tensor Images, torch.Tensor? Masks = null, torch.Tensor? Boxes = null, torch.Tensor? Classes = null) : IDisposable
{
    public long Size => Images.shape[0];

    public void Dispose()
    {
        Images.Dispose();
        Masks?.Dispose();
        Boxes?.Dispose();
        Classes?.Dispose();
    }
}
