using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// One training batch on its way through the Learner's step (fastai's <c>_do_one_batch</c>), open to callbacks: every batch
/// event of <see cref="ILearnerCallback"/> (<c>BeforeBatch</c> → <c>AfterPrediction</c> → <c>AfterLoss</c> →
/// <c>BeforeBackward</c> → <c>BeforeStep</c> → <c>AfterStep</c> → <c>AfterBatch</c>) gets this object and may change what
/// comes next — the inputs and targets before the forward pass (MixUp, progressive resizing), the loss before backward
/// (L1, loss scaling, gradient accumulation), whether gradients are zeroed and the optimizer steps (accumulation, the
/// gradient guard) — or cancel the rest of the batch, the epoch or the fit. Everything here lives in the step's dispose
/// scope: a tensor a callback keeps beyond the batch must be detached from it.
/// </summary>
public sealed class StepContext
{
    private Tensor _inputs, _targets;

    internal StepContext(Learner learner, bool probe, int epoch, int batch, long step, long stepsPerEpoch, double learningRate, Tensor inputs, Tensor targets)
    {
        Learner = learner;
        IsProbe = probe;
        Epoch = epoch;
        Batch = batch;
        Step = step;
        StepsPerEpoch = stepsPerEpoch;
        LearningRate = learningRate;
        _inputs = inputs;
        _targets = targets;
    }

    public Learner Learner { get; }

    /// <summary>
    /// True in the LR finder's probe steps: only the Learner's own step techniques (L1, loss scaling, the gradient guard,
    /// clipping) run there, not the options' callbacks — a probe must not fire checkpoints, early stopping or MixUp.
    /// </summary>
    public bool IsProbe { get; }

    /// <summary>0-based epoch, as the table prints it.</summary>
    public int Epoch { get; }

    /// <summary>0-based batch index within the epoch.</summary>
    public int Batch { get; }

    /// <summary>Optimizer steps (batches) taken before this one over the whole fit: the schedule's clock.</summary>
    public long Step { get; }

    /// <summary>Batches per epoch of the fit (from the loader's count).</summary>
    public long StepsPerEpoch { get; }

    /// <summary>The learning rate of the first trainable stage for this step.</summary>
    public double LearningRate { get; }

    /// <summary>The batch's inputs, on the learner's device; replace them before the forward pass (BeforeBatch).</summary>
    public Tensor Inputs
    {
        get => _inputs;
        set => _inputs = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The batch's targets, on the learner's device; replace them before the loss (BeforeBatch, AfterPrediction).</summary>
    public Tensor Targets
    {
        get => _targets;
        set => _targets = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// The model's output as one tensor (a multi-head model's heads concatenated), from AfterPrediction on; else null. Made on
    /// first read: a multi-head model's batches pay for the concatenation only when a callback looks.
    /// </summary>
    public Tensor? Prediction => _prediction ??= _makePrediction?.Invoke();

    private Tensor? _prediction;
    private Func<Tensor>? _makePrediction;

    /// <summary>After the forward pass: how <see cref="Prediction"/> is made when asked for.</summary>
    internal void PredictionFrom(Func<Tensor> make) => _makePrediction = make;

    /// <summary>The tensor backward runs on (the batch's mean loss), from AfterLoss on; replace it to change what is minimised.</summary>
    public Tensor? Loss { get; set; }

    /// <summary>The batch's loss as the loss function gave it, read back once (what the table averages), before callbacks change <see cref="Loss"/>; NaN before AfterLoss.</summary>
    public double LossValue { get; internal set; } = double.NaN;

    /// <summary>Whether the gradients are set to zero before backward; false adds this batch's to those already there (gradient accumulation).</summary>
    public bool ZeroGradients { get; set; } = true;

    /// <summary>Whether the optimizer steps after backward; false keeps the gradients and the weights (the schedule's clock still advances).</summary>
    public bool StepOptimizer { get; set; } = true;

    /// <summary>Set by <see cref="CancelBatch"/>: the rest of this batch is skipped (no backward, no step); the epoch goes on.</summary>
    public bool BatchCancelled { get; private set; }

    /// <summary>Set by <see cref="CancelEpoch"/>: the epoch ends after this batch (validation and the epoch's record follow).</summary>
    public bool EpochCancelled { get; private set; }

    /// <summary>Skips the rest of this batch: no backward and no optimizer step; it still counts as done (AfterBatch runs, the clock advances).</summary>
    public void CancelBatch() => BatchCancelled = true;

    /// <summary>Ends the epoch after this batch (the rest of this batch still runs unless also cancelled).</summary>
    public void CancelEpoch() => EpochCancelled = true;

    /// <summary>Stops the fit now, this batch not stepped (<see cref="Learner.Stop"/> with <c>immediately</c>); <paramref name="reason"/> is printed and kept in <see cref="Learner.StopReason"/>.</summary>
    public void CancelFit(string reason) => Learner.Stop(reason, immediately: true);

    /// <summary>The batch as the older <see cref="ILearnerCallback.OnBatchLoss"/> and <see cref="ILearnerCallback.OnBatchEnd"/> see it.</summary>
    internal BatchInfo Info => new(Epoch, Batch, Step, LossValue, LearningRate);
}
