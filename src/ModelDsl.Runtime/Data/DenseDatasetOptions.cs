namespace ModelDsl.Data;

/// <summary>Options of the segmentation and detection datasets read from files.</summary>
public sealed record DenseDatasetOptions
{
    /// <summary>Channels of every image: 1 (gray), 3 (RGB) or 4 (RGBA). Sources are converted.</summary>
    public int Channels { get; init; } = 3;
    /// <summary>Sample size; null = the size of the first image (in sorted order).</summary>
    public int? Height { get; init; }
    public int? Width { get; init; }
    /// <summary>
    /// An image of another size is stretched (image bilinear, mask nearest, boxes scaled) or refused
    /// (<see cref="ResizePolicy.Error"/>). Centre cropping is not offered: it would cut boxes silently.
    /// </summary>
    public ResizePolicy Resize { get; init; } = ResizePolicy.Stretch;
    public IImageDecoder? Decoder { get; init; }

    internal void Check()
    {
        ImageDecoders.CheckChannels(Channels);
        if (Resize == ResizePolicy.ResizeShorterThenCenterCrop)
            throw new ArgumentException("Dense datasets resize by Stretch or refuse other sizes (Error); a centre crop would cut masks and boxes. Crop with a paired augmentation instead.", nameof(Resize));
        if (Height is <= 0 || Width is <= 0) throw new ArgumentOutOfRangeException(nameof(Height), $"Sample size must be positive; got {Height}×{Width}.");
    }
}
