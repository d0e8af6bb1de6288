using TorchSharp;

namespace ModelDsl.Training;

/// <summary>
/// fastai's gradient accumulation: the gradients of <see cref="Steps"/> consecutive batches add up before one optimizer
/// step, each loss divided by the group's size, so the step is the one a batch that many times larger would give (on a
/// memory budget that holds only the small one). The epoch's last group may be shorter; it steps too. The learning-rate
/// schedule still counts batches. L1 and loss scaling stay right: the division comes after the penalty joins the loss. A checkpoint taken inside a group does not hold the gradients gathered so far, so
/// checkpoint every epoch, or every multiple of <see cref="Steps"/> steps.
/// </summary>
public sealed class GradientAccumulation : ILearnerCallback
{
    public GradientAccumulation(int steps)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "GradientAccumulation: accumulate over at least 1 batch.");
        Steps = steps;
    }

    /// <summary>Batches per optimizer step.</summary>
    public int Steps { get; }

    public void BeforeBatch(StepContext step)
    {
        int place = step.Batch % Steps; // where the batch is in its group
        step.ZeroGradients = place == 0;
        step.StepOptimizer &= place == Steps - 1 || (step.StepsPerEpoch > 0 && step.Batch == step.StepsPerEpoch - 1);
    }

    // In BeforeBackward, after every AfterLoss (the options' L1 joins the loss there): the whole loss, penalty included, is
    // divided by the group, so a group of k steps once with λ·Σ|w|, as one batch k times larger would. Loss scaling (float16)
    // comes after, among the Learner's own techniques.
    public void BeforeBackward(StepContext step)
    {
        if (Steps == 1) return;
        long groupStart = step.Batch - step.Batch % Steps;
        long group = step.StepsPerEpoch > 0 ? Math.Min(Steps, step.StepsPerEpoch - groupStart) : Steps;
        using var scale = (1.0 / group).ToScalar(); // kept alive for the call (a bare number would be a temporary Scalar: KeptScalars says why)
        step.Loss = step.Loss!.mul(scale);
    }
}
