using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>Adds N(mean, std²) noise to each selected sample (probability p). Values are not clamped, as in Kornia's RandomGaussianNoise.</summary>
public sealed class GaussianNoise(double std = 0.1, double mean = 0, double p = 1.0, long? seed = null) : RandomAugmentation(p, seed)
{
    public double Std { get; } = std;
    public double Mean { get; } = mean;

    protected override Tensor ApplyCore(Tensor x, Generator g)
    {
        var mask = View4(Mask(g, x.shape[0], x.device)).to_type(x.dtype);
        var noise = randn(x.shape, x.dtype, device: x.device, generator: g).mul_(S(Std)).add_(S(Mean), One);
        return x.add(noise * mask, One);
    }
}
