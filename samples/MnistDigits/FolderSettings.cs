namespace MnistDigits;

/// <summary>
/// The command-line overrides of the ImageFolder defaults (<see cref="FolderDefaults"/>); null or false
/// means "choose from the data". Ignored for MNIST and CIFAR-10, whose nets and augmentation are fixed.
/// </summary>
public sealed record FolderSettings
{
    /// <summary>--channels: 1 (gray) or 3 (RGB) instead of what the survey finds.</summary>
    public int? Channels { get; init; }
    /// <summary>--size: one of <see cref="FolderNet.Sizes"/> instead of the bucket nearest the images' typical size.</summary>
    public int? Size { get; init; }
    /// <summary>--flip: add random horizontal flips (off by default: they change the meaning of digits, letters, signs).</summary>
    public bool Flip { get; init; }
    /// <summary>--no-augment: train on the images as they are.</summary>
    public bool NoAugment { get; init; }
    /// <summary>--valid-pct: the share of train/ held out for validation when there is no test/ (default 0.2, as fastai's valid_pct).</summary>
    public double? ValidFraction { get; init; }

    /// <summary>The first problem with the values, or null when they are usable.</summary>
    public string? Validate() =>
        Channels is { } c && c is not (1 or 3) ? $"--channels must be 1 or 3 (got {c})."
        : Size is { } s && !FolderNet.Sizes.Contains(s) ? $"--size must be one of {string.Join(", ", FolderNet.Sizes)}, the input sizes a folder net is declared for (got {s})."
        : ValidFraction is { } v && !(v > 0 && v < 1) ? $"--valid-pct must be between 0 and 1, exclusive (got {v})."
        : null;
}
