using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// fastai's progressive resizing: the first epochs train on smaller images (faster, and a regulariser), later ones at full
/// size. <see cref="Sizes"/> maps a starting epoch to a height and width; from that epoch on, training inputs are resized
/// to it (bilinear, antialiased when shrinking) before the forward pass. For a model of any input size (a net declared with
/// <c>Channels</c> alone, a fully convolutional one); validation keeps the loader's size.
/// </summary>
public sealed class ProgressiveResizing : ILearnerCallback
{
    public ProgressiveResizing(IReadOnlyDictionary<int, (int Height, int Width)> sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Count == 0) throw new ArgumentException("ProgressiveResizing: give at least one (epoch, size).", nameof(sizes));
        foreach (var (epoch, (h, w)) in sizes)
            if (epoch < 0 || h < 1 || w < 1) throw new ArgumentOutOfRangeException(nameof(sizes), $"ProgressiveResizing: epoch {epoch} → {h}×{w}; epochs are ≥ 0 and sizes ≥ 1.");
        Sizes = sizes.OrderBy(kv => kv.Key).ToList();
    }

    /// <summary>From which epoch which size, in order.</summary>
    public IReadOnlyList<KeyValuePair<int, (int Height, int Width)>> Sizes { get; }

    /// <summary>The size training inputs get in <paramref name="epoch"/>, or null before the first entry (the loader's own).</summary>
    public (int Height, int Width)? SizeAt(int epoch)
    {
        (int, int)? size = null;
        foreach (var (from, s) in Sizes) if (from <= epoch) size = s;
        return size;
    }

    public void BeforeBatch(StepContext step)
    {
        if (SizeAt(step.Epoch) is not { } size) return;
        var x = step.Inputs;
        if (x.dim() != 4) throw new InvalidOperationException($"ProgressiveResizing resizes N×C×H×W images; the inputs are [{string.Join(", ", x.shape)}].");
        if (x.shape[2] == size.Height && x.shape[3] == size.Width) return;
        bool shrink = size.Height < x.shape[2] || size.Width < x.shape[3];
        step.Inputs = nn.functional.interpolate(x, new long[] { size.Height, size.Width }, mode: InterpolationMode.Bilinear, align_corners: false, antialias: shrink);
    }
}
