using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// <see cref="LearnerOptions.GradientClipNorm"/> as a step technique: before the optimizer steps, the trainable parameters'
/// gradients are scaled so their total norm is at most the limit (<c>clip_grad_norm_</c>). Mixed precision clips inside the
/// fused optimizer instead, in float32 after unscaling.
/// </summary>
internal sealed class GradientClipping(double maxNorm, Func<IEnumerable<Parameter>> trainable) : ILearnerCallback
{
    public void BeforeStep(StepContext step)
    {
        if (step.StepOptimizer && !step.BatchCancelled) nn.utils.clip_grad_norm_(trainable(), maxNorm);
    }
}
