namespace ModelDsl.Training;

/// <summary>What a callback sees of one training batch.</summary>
/// <param name="Epoch">0-based epoch, as printed in the table.</param>
/// <param name="Batch">0-based batch index within the epoch.</param>
/// <param name="Step">Optimizer steps taken before this batch, over the whole fit (the schedule's clock).</param>
/// <param name="Loss">The batch's mean loss (already read back from the device).</param>
/// <param name="LearningRate">Learning rate of the first trainable parameter group for this step.</param>
public readonly record struct BatchInfo(int Epoch, int Batch, long Step, double Loss, double LearningRate);

/// <summary>
/// Hooks into <see cref="Learner"/>'s loop. All methods have empty defaults so a callback implements
/// only what it needs. To stop training call <see cref="Learner.Stop"/>: with <c>immediately</c>
/// from <see cref="OnBatchLoss"/> the current batch's optimizer step is skipped (the NaN guard relies
/// on that so a diverged loss never reaches the weights).
/// <para>The batch hooks run inside the step's <c>torch.NewDisposeScope()</c>: a tensor a callback
/// creates there and wants to keep must be <c>DetachFromDisposeScope()</c>'d.</para>
/// </summary>
public interface ILearnerCallback
{
    void OnFitStart(Learner learner) { }
    void OnEpochStart(Learner learner, int epoch) { }
    /// <summary>After the forward pass and loss, before backward and the optimizer step.</summary>
    void OnBatchLoss(Learner learner, BatchInfo batch) { }
    /// <summary>After the optimizer step.</summary>
    void OnBatchEnd(Learner learner, BatchInfo batch) { }
    /// <summary>After validation; the record is already in <see cref="Learner.History"/>.</summary>
    void OnEpochEnd(Learner learner, EpochRecord record) { }
    /// <summary>Always called, also when training stopped early.</summary>
    void OnFitEnd(Learner learner) { }
}
