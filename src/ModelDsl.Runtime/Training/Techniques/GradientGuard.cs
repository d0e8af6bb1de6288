using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// Keeps non-finite gradients out of the weights: after each backward pass, before clipping and the optimizer step,
/// it looks at every trainable parameter's gradient; if any is NaN or ±∞ the step is skipped (as PyTorch's
/// GradScaler skips one) and counted in <see cref="Learner.SkippedSteps"/>. After
/// <see cref="LearnerOptions.MaxConsecutiveSkippedSteps"/> skips in a row the fit stops, naming the layer where the
/// non-finite values began: the last one, in the model's order, whose gradient is non-finite — backward runs from
/// the loss towards the input, so every layer after it still had finite gradients.
/// <para>Part of the NaN guard (<see cref="LearnerOptions.GuardAgainstNaN"/>). float16 runs leave this to their loss
/// scaler, which skips such steps by design.</para>
/// </summary>
internal sealed class GradientGuard(IReadOnlyList<(string Name, Parameter Parameter)> parameters, int maxConsecutive) : ILearnerCallback
{
    /// <summary>
    /// The step technique: a step about to happen with non-finite gradients is skipped (the batch still counts, the schedule's
    /// clock runs on, as GradScaler's); the last skip allowed in a row stops the fit as a failure. In the LR finder's probe the
    /// batch is cancelled instead, which ends the probe.
    /// </summary>
    public void BeforeStep(StepContext step)
    {
        if (!step.StepOptimizer || step.BatchCancelled || AllFinite(step.Info, step.Learner.DescribeWeights, out var stopReason)) return;
        if (step.IsProbe) step.CancelBatch();
        else if (stopReason is not null) step.Learner.Stop(stopReason, immediately: true, failed: true);
        else step.StepOptimizer = false;
    }

    private int _consecutive;

    /// <summary>Skipped steps over the learner's life.</summary>
    public long Skipped { get; private set; }

    /// <summary>The parameters' gradients are all finite (the step may go ahead); counts a skip otherwise.</summary>
    /// <param name="batch">The batch, for the message.</param>
    /// <param name="weightsNow">Says what the weights are, only when a stop needs it.</param>
    /// <param name="stopReason">Set when this skip is the last one allowed in a row: why the fit must stop.</param>
    public bool AllFinite(BatchInfo batch, Func<string> weightsNow, out string? stopReason)
    {
        stopReason = null;
        if (FirstNonFinite(parameters) is not { } origin)
        {
            _consecutive = 0;
            return true;
        }
        Skipped++;
        _consecutive++;
        if (_consecutive >= maxConsecutive)
            stopReason =
                $"Training stopped: {_consecutive} step{(_consecutive == 1 ? "" : "s")} in a row had non-finite gradients (the last at epoch {batch.Epoch}, batch {batch.Batch}, " +
                $"step {batch.Step}, lr {batch.LearningRate:0.###e+0}, loss {batch.Loss:G4}); they began at layer '{LayerOf(origin.Name)}' " +
                $"({origin.Name}: {origin.What}; the layers after it had finite gradients). Those steps were skipped: {weightsNow()} " +
                "Lower the learning rate, set GradientClipNorm, or check the inputs; a CPU that computes wrong gradients is described in docs/TRAINING.md, \"Right numbers on every CPU\".";
        return false;
    }

    /// <summary>
    /// The parameter where non-finite gradients began (the last in model order with a NaN/∞ gradient), or null when all
    /// are finite. One reduction per parameter and a single read back from the device.
    /// </summary>
    internal static (string Name, string What)? FirstNonFinite(IReadOnlyList<(string Name, Parameter Parameter)> parameters)
    {
        using var scope = NewDisposeScope();
        var withGrad = parameters.Where(p => p.Parameter.requires_grad && p.Parameter.grad is not null).ToList();
        if (withGrad.Count == 0) return null;
        var finite = stack(withGrad.Select(p => p.Parameter.grad!.isfinite().all()).ToArray());
        if (finite.all().item<bool>()) return null;
        var flags = finite.cpu().data<bool>().ToArray();
        int last = Array.LastIndexOf(flags, false);
        var grad = withGrad[last].Parameter.grad!;
        string what = grad.isnan().any().item<bool>() ? "NaN" : "±∞";
        return (withGrad[last].Name, what);
    }

    /// <summary>"Features.Conv1.weight" → "Features.Conv1".</summary>
    private static string LayerOf(string parameter)
    {
        int dot = parameter.LastIndexOf('.');
        return dot > 0 ? parameter[..dot] : parameter;
    }

    /// <summary>The truth about the weights now: all finite, or the first parameter that is not.</summary>
    internal static string DescribeWeights(nn.Module module, long stepsTaken)
    {
        using var scope = NewDisposeScope();
        foreach (var (name, p) in module.named_parameters())
            if (!p.isfinite().all().item<bool>())
                return $"the weights are NOT finite ({name} holds NaN or ±∞): do not use them; resume from an earlier checkpoint.";
        return $"the weights are finite, those after the last step taken (step {stepsTaken}).";
    }
}
