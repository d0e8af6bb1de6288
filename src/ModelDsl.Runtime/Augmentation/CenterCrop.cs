using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// torchvision's <c>CenterCrop(size)</c> on a batch: the centre <see cref="Height"/>×<see cref="Width"/> of every image (its
/// offsets rounded half to even, as Python rounds), zero-padded first where the image is smaller, as torchvision pads it.
/// </summary>
public sealed class CenterCrop : IAugmentation
{
    public CenterCrop(int height, int width)
    {
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"CenterCrop: {height}×{width} is no size.");
        Height = height;
        Width = width;
    }

    public CenterCrop(int size) : this(size, size) { }

    public int Height { get; }
    public int Width { get; }

    public Tensor Apply(Tensor batch)
    {
        if (batch.dim() != 4) throw new ArgumentException($"CenterCrop expects N×C×H×W; got [{string.Join(", ", batch.shape)}].", nameof(batch));
        using var scope = NewDisposeScope();
        var x = batch;
        long h = x.shape[2], w = x.shape[3];
        if (h < Height || w < Width)
        {
            // torchvision pads the missing rows and columns around the image (the odd one after), then crops.
            long dh = Math.Max(Height - h, 0), dw = Math.Max(Width - w, 0);
            x = nn.functional.pad(x, new[] { dw / 2, (dw + 1) / 2, dh / 2, (dh + 1) / 2 });
            h = x.shape[2];
            w = x.shape[3];
        }
        long top = (long)Math.Round((h - Height) / 2.0, MidpointRounding.ToEven), left = (long)Math.Round((w - Width) / 2.0, MidpointRounding.ToEven);
        return x.narrow(2, top, Height).narrow(3, left, Width).contiguous().MoveToOuterDisposeScope();
    }
}
