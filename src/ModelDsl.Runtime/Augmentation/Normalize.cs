using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>(x − mean[c]) / std[c] per channel; deterministic. Typically last in a <see cref="Compose"/> (use ChannelStats to get the numbers).</summary>
public sealed class Normalize : IAugmentation
{
    public Normalize(IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        if (mean.Count != std.Count || mean.Count == 0)
            throw new ArgumentException($"Normalize needs one mean and one std per channel; got {mean.Count} means and {std.Count} stds.");
        if (std.Any(s => s <= 0)) throw new ArgumentException("Normalize: every std must be > 0.", nameof(std));
        Mean = mean.ToArray();
        Std = std.ToArray();
    }

    public IReadOnlyList<double> Mean { get; }
    public IReadOnlyList<double> Std { get; }

    /// <summary>The ImageNet statistics torchvision's pretrained models expect.</summary>
    public static Normalize ImageNet() => new([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);

    public Tensor Apply(Tensor batch)
    {
        if (batch.dim() != 4 || batch.shape[1] != Mean.Count)
            throw new ArgumentException($"Normalize has {Mean.Count} channel(s) but got a batch of shape [{string.Join(", ", batch.shape)}] (expected N×{Mean.Count}×H×W).", nameof(batch));
        using var scope = NewDisposeScope();
        var m = tensor(Mean.ToArray(), [1, Mean.Count, 1, 1]).to(batch.dtype, batch.device);
        var s = tensor(Std.ToArray(), [1, Std.Count, 1, 1]).to(batch.dtype, batch.device);
        return ((batch - m) / s).MoveToOuterDisposeScope();
    }
}
