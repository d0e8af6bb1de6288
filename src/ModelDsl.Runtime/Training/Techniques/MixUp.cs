using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// MixUp (Zhang et al. 2018; fastai's <c>MixUp</c>, torchvision's <c>v2.MixUp</c>): every training image becomes
/// λ·x + (1 − λ)·x′ with x′ another image of the batch, and its target λ·y + (1 − λ)·y′, λ ~ Beta(α, α) per batch.
/// </summary>
public sealed class MixUp(double alpha = 0.4, long seed = 0) : SampleMixing(alpha, seed)
{
    protected override double Mix(StepContext step, Tensor order, double drawn, Generator g)
    {
        var x = step.Inputs;
        using var share = drawn.ToScalar();
        using var rest = (1 - drawn).ToScalar();
        step.Inputs = x.mul(share).add_(x.index_select(0, order).mul(rest), ModelDsl.Platform.KeptScalars.One);
        return drawn;
    }
}
