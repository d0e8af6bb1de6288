using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>Mirrors each sample top↔bottom with probability p: one flip of the batch and a per-sample select.</summary>
public sealed class RandomVerticalFlip(double p = 0.5, long? seed = null) : RandomAugmentation(p, seed)
{
    protected override Tensor ApplyCore(Tensor x, Generator g) =>
        where(View4(Mask(g, x.shape[0], x.device)), x.flip(2), x);
}
