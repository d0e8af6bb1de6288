using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>Replaces each RGB sample by its BT.601 luma (replicated to 3 channels) with probability p (torchvision's default 0.1). No-op for other channel counts.</summary>
public sealed class RandomGrayscale(double p = 0.1, long? seed = null) : RandomAugmentation(p, seed)
{
    protected override Tensor ApplyCore(Tensor x, Generator g)
    {
        var mask = View4(Mask(g, x.shape[0], x.device));
        if (x.shape[1] != 3) return x;
        return where(mask, Gray(x).expand_as(x), x);
    }
}
