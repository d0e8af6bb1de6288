using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// torchvision's <c>RandomSolarize(threshold, p)</c>: with probability p per sample, every value at or above
/// <see cref="Threshold"/> is inverted (<c>1 − x</c>, images in [0, 1]); the rest is kept.
/// </summary>
public sealed class RandomSolarize : RandomAugmentation
{
    public RandomSolarize(double threshold, double p = 0.5, long? seed = null) : base(p, seed)
    {
        if (!(threshold >= 0 && threshold <= 1)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "RandomSolarize: the threshold is a value in [0, 1].");
        Threshold = threshold;
    }

    public double Threshold { get; }

    protected override Tensor ApplyCore(Tensor x, Generator g)
    {
        var mask = View4(Mask(g, x.shape[0], x.device));
        var solarized = AugmentationOps.Solarize(x, full(1, 1, 1, 1, S(Threshold), x.dtype, x.device));
        return where(mask, solarized, x);
    }
}
