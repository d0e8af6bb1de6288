using TorchSharp;

namespace ModelDsl.Training;

/// <summary>
/// float16 mixed precision's loss scaling as a step technique (GradScaler's semantics): backward runs on the loss times the
/// scale so small gradients survive in float16; the fused optimizer unscales, clips and skips a step whose gradients are not
/// finite, and the scaler then grows or shrinks the scale.
/// </summary>
internal sealed class LossScaling(DynamicLossScaler scaler, FusedOptimizer optimizer) : ILearnerCallback
{
    public void BeforeBackward(StepContext step)
    {
        using var scale = scaler.Scale.ToScalar(); // kept for the call (a bare number would be a temporary Scalar: KeptScalars says why)
        step.Loss = step.Loss!.mul(scale);
        optimizer.GradientScale = scaler.Scale;
    }

    // A few skipped steps while the scale finds its level are normal (GradScaler prints nothing either); LossScaler.SkippedSteps counts them.
    public void AfterStep(StepContext step)
    {
        if (step.StepOptimizer && !step.BatchCancelled) scaler.Update(optimizer.LastStepSkipped);
    }
}
