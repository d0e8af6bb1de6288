using TorchSharp;

namespace ModelDsl.Augmentation;

/// <summary>
/// A batch transform: takes N×C×H×W floating-point images on any device and returns a new tensor on the
/// same device with the same dtype (the input is left untouched; the caller owns both). Random ops draw
/// their parameters per sample, batched, on the input's device.
/// </summary>
public interface IAugmentation
{
    torch.Tensor Apply(torch.Tensor batch);
}
