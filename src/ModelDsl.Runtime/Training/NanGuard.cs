namespace ModelDsl.Training;

/// <summary>
/// Stops training the moment the batch loss is NaN or ±Inf, before that batch's backward pass and
/// optimizer step, so the weights stay the last finite ones. The message names the epoch, batch,
/// step and learning rate, since a diverging loss is almost always a too-high learning rate.
/// Added by default (<see cref="LearnerOptions.GuardAgainstNaN"/>).
/// </summary>
public sealed class NanGuard : ILearnerCallback
{
    public void OnBatchLoss(Learner learner, BatchInfo batch)
    {
        if (double.IsFinite(batch.Loss)) return;
        string what = double.IsNaN(batch.Loss) ? "NaN" : (batch.Loss > 0 ? "+Inf" : "-Inf");
        learner.Stop(
            $"Training stopped: the loss became {what} at epoch {batch.Epoch}, batch {batch.Batch} (step {batch.Step}, lr {batch.LearningRate:0.###e+0}). " +
            "The weights are those before this batch. Lower the learning rate, set GradientClipNorm, or check the inputs for NaN/Inf.",
            immediately: true);
    }
}
