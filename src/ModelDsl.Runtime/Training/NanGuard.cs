namespace ModelDsl.Training;

/// <summary>
/// Stops training the moment the batch loss is NaN or ±Inf, before that batch's backward pass and
/// optimizer step. The message names the epoch, batch, step and learning rate, since a diverging loss is
/// almost always a too-high learning rate, and says what the weights are: checked, not assumed (with the
/// gradient guard they stay finite; without it a NaN gradient of an earlier batch may already be in them).
/// Added by default (<see cref="LearnerOptions.GuardAgainstNaN"/>); the stop is a <see cref="Learner.Failure"/>.
/// </summary>
public sealed class NanGuard : ILearnerCallback
{
    public void OnBatchLoss(Learner learner, BatchInfo batch)
    {
        if (double.IsFinite(batch.Loss)) return;
        string what = double.IsNaN(batch.Loss) ? "NaN" : (batch.Loss > 0 ? "+Inf" : "-Inf");
        learner.Stop(
            $"Training stopped: the loss became {what} at epoch {batch.Epoch}, batch {batch.Batch} (step {batch.Step}, lr {batch.LearningRate:0.###e+0}); " +
            $"this batch was not stepped, and {learner.DescribeWeights()} Lower the learning rate, set GradientClipNorm, or check the inputs for NaN/Inf.",
            immediately: true, failed: true);
    }
}
