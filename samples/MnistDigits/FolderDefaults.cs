using System.Globalization;
using ModelDsl.Augmentation;
using ModelDsl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistDigits;

/// <summary>
/// The ImageFolder defaults, chosen from the data rather than assumed, each with the reason the job prints:
/// input channels and size from an <see cref="ImageSurvey"/>, mild fastai-style augmentation, and the share of
/// train/ held out when there is no test/. An explicit <see cref="FolderSettings"/> value always wins.
/// </summary>
public static class FolderDefaults
{
    /// <summary>Held out of train/ when there is no test/: fastai's valid_pct default.</summary>
    public const double ValidFraction = 0.2;

    // fastai's aug_transforms defaults (max_rotate=10, max_zoom=1.1, max_lighting=0.2, p_affine=p_lighting=0.75),
    // plus a ±10% shift standing in for the random position of fastai's zoom crop. No flips unless asked
    // (fastai flips by default, but a flipped digit, letter or sign is another class or none).
    public const double RotateDegrees = 10;
    public const double MaxZoom = 1.1;
    public const double MaxShift = 0.1;
    public const double Lighting = 0.2;
    public const double Probability = 0.75;

    /// <summary>A chosen value and the one line that says why.</summary>
    public readonly record struct Choice<T>(T Value, string Reason);

    public static Choice<int> Channels(ImageSurvey survey, FolderSettings settings)
    {
        if (settings.Channels is { } c) return new(c, $"channels: {c} (--channels {c})");
        if (!survey.AllGray) return new(3, $"channels: 3 — colour pixels in {survey.ColourFile}");
        string how = survey.PixelChecked == 0
            ? $"every one of the {survey.Files:N0} images has a gray header"
            : $"{survey.GrayHeaders:N0} gray headers, {survey.PixelChecked:N0} colour-header images with R≈G≈B (within {ImageSurvey.GrayTolerance} levels)"
              + (survey.Unchecked > 0 ? $", {survey.Unchecked:N0} more unchecked" : "");
        return new(1, $"channels: 1 — gray: {how} (--channels 3 to override)");
    }

    /// <summary>
    /// The side of the square input: the net size nearest the images' typical side (the larger median side),
    /// nearest on a log scale, so 90 px goes to 64 and 100 px to 128. Below the smallest net the images are
    /// upscaled (an 8×8 scan through three 2× poolings would leave a 1×1 map before the last conv); above the
    /// largest they are downscaled, which caps the cost of an epoch on a CPU.
    /// </summary>
    public static Choice<int> Size(ImageSurvey survey, FolderSettings settings)
    {
        string median = $"median image {survey.MedianWidth}×{survey.MedianHeight}";
        if (settings.Size is { } s) return new(s, $"size: {s}×{s} (--size {s}; {median})");
        int typical = Math.Max(survey.MedianWidth, survey.MedianHeight);
        var sizes = FolderNet.Sizes;
        if (typical <= sizes[0])
            return new(sizes[0], typical == sizes[0]
                ? $"size: {sizes[0]}×{sizes[0]} — {median}"
                : $"size: {sizes[0]}×{sizes[0]} — {median}, upscaled to the smallest net size (--size to override)");
        if (typical >= sizes[^1])
            return new(sizes[^1], typical == sizes[^1]
                ? $"size: {sizes[^1]}×{sizes[^1]} — {median}"
                : $"size: {sizes[^1]}×{sizes[^1]} — {median}, downscaled to the largest net size, the cap (--size to override)");
        int nearest = sizes.MinBy(n => Math.Abs(Math.Log((double)n / typical)))!;
        return new(nearest, nearest == typical
            ? $"size: {nearest}×{nearest} — {median}"
            : $"size: {nearest}×{nearest} — {median}, resized to the nearest net size of {string.Join("/", sizes)} (--size to override)");
    }

    public static Choice<Func<long, IAugmentation[]>> Augmentation(FolderSettings settings)
    {
        string flip = settings.Flip ? "; horizontal flips (--flip)" : "; no flips (--flip to add)";
        if (settings.NoAugment)
            return new(s => settings.Flip ? [new RandomHorizontalFlip(seed: s + 2)] : [], $"augmentation: none (--no-augment){(settings.Flip ? flip : "")}");
        string reason = string.Create(CultureInfo.InvariantCulture,
            $"augmentation: mild, as fastai's aug_transforms — rotate ±{RotateDegrees}°, zoom 1–{MaxZoom}×, shift ±{MaxShift * 100:0}%, reflection padding (p {Probability}); brightness and contrast ±{Lighting * 100:0}% (p {Probability}){flip}");
        return new(s =>
        {
            var list = new List<IAugmentation>
            {
                new RandomAffine(RotateDegrees, translate: (MaxShift, MaxShift), scale: (1.0, MaxZoom), padding: GridSamplePaddingMode.Reflection, p: Probability, seed: s),
                new ColorJitter(brightness: Lighting, contrast: Lighting, p: Probability, seed: s + 1),
            };
            if (settings.Flip) list.Add(new RandomHorizontalFlip(seed: s + 2));
            return list.ToArray();
        }, reason);
    }
}
