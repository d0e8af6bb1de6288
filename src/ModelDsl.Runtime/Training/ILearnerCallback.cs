namespace ModelDsl.Training;

/// <summary>What a callback sees of one training batch.</summary>
/// <param name="Epoch">0-based epoch, as printed in the table.</param>
/// <param name="Batch">0-based batch index within the epoch.</param>
/// <param name="Step">Optimizer steps taken before this batch, over the whole fit (the schedule's clock).</param>
/// <param name="Loss">The batch's mean loss (already read back from the device).</param>
/// <param name="LearningRate">Learning rate of the first trainable parameter group for this step.</param>
public readonly record struct BatchInfo(int Epoch, int Batch, long Step, double Loss, double LearningRate);

/// <summary>
/// Hooks into <see cref="Learner"/>'s loop, fastai's callback events. All methods have empty defaults so a callback
/// implements only what it needs. The batch events get the step's <see cref="StepContext"/>, which they may change
/// (inputs, targets, loss, whether gradients are zeroed and the optimizer steps) or cancel; in a fit they run in
/// this order, each for every callback in the order given, then for the Learner's own step techniques:
/// <c>BeforeBatch</c> (inputs on the device) → forward → <c>AfterPrediction</c> → loss → <c>OnBatchLoss</c>,
/// <c>AfterLoss</c> → zero grad → <c>BeforeBackward</c> → backward → <c>BeforeStep</c> → optimizer step →
/// <c>AfterStep</c> → <c>OnBatchEnd</c>, <c>AfterBatch</c>. Validation runs between <c>BeforeValidate</c> and
/// <c>AfterValidate</c> (no batch events). To stop training call <see cref="Learner.Stop"/> (or
/// <see cref="StepContext.CancelFit"/>): with <c>immediately</c> from the loss events the batch is not stepped (the NaN
/// guard relies on that so a diverged loss never reaches the weights).
/// <para>The batch events run inside the step's <c>torch.NewDisposeScope()</c>: a tensor a callback creates there and
/// wants to keep must be <c>DetachFromDisposeScope()</c>'d.</para>
/// </summary>
public interface ILearnerCallback
{
    /// <summary>Before the first epoch (fastai's before_fit).</summary>
    void OnFitStart(Learner learner) { }
    void OnEpochStart(Learner learner, int epoch) { }
    /// <summary>The batch is on the device, before the forward pass: change <see cref="StepContext.Inputs"/> or <see cref="StepContext.Targets"/> here.</summary>
    void BeforeBatch(StepContext step) { }
    /// <summary>After the forward pass (<see cref="StepContext.Prediction"/>), before the loss.</summary>
    void AfterPrediction(StepContext step) { }
    /// <summary>After the forward pass and loss, before backward and the optimizer step (the loss as a number).</summary>
    void OnBatchLoss(Learner learner, BatchInfo batch) { }
    /// <summary>After the loss (<see cref="StepContext.Loss"/>, <see cref="StepContext.LossValue"/>), before the gradients are zeroed and backward.</summary>
    void AfterLoss(StepContext step) { }
    /// <summary>Just before <c>backward</c> on <see cref="StepContext.Loss"/>.</summary>
    void BeforeBackward(StepContext step) { }
    /// <summary>After backward, before the optimizer step: gradients are there (clip them, check them, or set <see cref="StepContext.StepOptimizer"/>).</summary>
    void BeforeStep(StepContext step) { }
    /// <summary>After the optimizer step (or where it was skipped).</summary>
    void AfterStep(StepContext step) { }
    /// <summary>After the optimizer step (the loss as a number).</summary>
    void OnBatchEnd(Learner learner, BatchInfo batch) { }
    /// <summary>The batch is done; the step counter has advanced.</summary>
    void AfterBatch(StepContext step) { }
    /// <summary>Before the validation pass of an epoch (or <see cref="Learner.Validate"/>): e.g. swap in averaged weights.</summary>
    void BeforeValidate(Learner learner) { }
    /// <summary>After the validation pass, before its record is made.</summary>
    void AfterValidate(Learner learner) { }
    /// <summary>After validation; the record is already in <see cref="Learner.History"/>.</summary>
    void OnEpochEnd(Learner learner, EpochRecord record) { }
    /// <summary>Always called, also when training stopped early (fastai's after_fit).</summary>
    void OnFitEnd(Learner learner) { }
}
