using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// Salt-and-pepper noise (the course's impulse noise), per sample with probability p: each pixel — all its channels — is
/// replaced with probability <see cref="Amount"/> by white (1, "salt", with probability <see cref="SaltVsPepper"/>) or
/// black (0, "pepper"). Images in [0, 1].
/// </summary>
public sealed class RandomSaltAndPepper : RandomAugmentation
{
    public RandomSaltAndPepper(double amount = 0.05, double saltVsPepper = 0.5, double p = 1, long? seed = null) : base(p, seed)
    {
        if (!(amount >= 0 && amount <= 1)) throw new ArgumentOutOfRangeException(nameof(amount), amount, "RandomSaltAndPepper: the amount is a probability in [0, 1].");
        if (!(saltVsPepper >= 0 && saltVsPepper <= 1)) throw new ArgumentOutOfRangeException(nameof(saltVsPepper), saltVsPepper, "RandomSaltAndPepper: the salt share is a probability in [0, 1].");
        Amount = amount;
        SaltVsPepper = saltVsPepper;
    }

    public double Amount { get; }
    public double SaltVsPepper { get; }

    protected override Tensor ApplyCore(Tensor x, Generator g)
    {
        long n = x.shape[0], h = x.shape[2], w = x.shape[3];
        var mask = View4(Mask(g, n, x.device));
        var hit = rand(new[] { n, 1L, h, w }, ScalarType.Float32, x.device, generator: g).lt(S(Amount));
        var salt = rand(new[] { n, 1L, h, w }, ScalarType.Float32, x.device, generator: g).lt(S(SaltVsPepper)).to_type(x.dtype);
        return where(mask.logical_and(hit), salt.expand_as(x), x);
    }
}
