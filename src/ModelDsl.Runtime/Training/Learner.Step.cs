using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// The one batch step every loop goes through (fastai's <c>_do_one_batch</c>). A training batch (a fit's, or the LR
/// finder's probe) is an open sequence of events over a <see cref="StepContext"/> that callbacks may change or cancel;
/// what the Learner adds to a plain step — L1, loss scaling, the gradient guard, clipping — are step techniques on those
/// same events (<see cref="_techniques"/>), each in its own file. Validation and prediction share the forward pass.
/// </summary>
public sealed partial class Learner
{
    /// <summary>The outcome of one step; its tensors live in the caller's dispose scope.</summary>
    /// <param name="Output">The model's output on the learner's device (float32 under mixed precision).</param>
    /// <param name="Loss">The batch's mean loss, NaN for a prediction.</param>
    /// <param name="Stepped">Whether the batch was done (false when the fit stopped in it, or the probe cannot go on).</param>
    private readonly record struct StepResult(ForwardOutput Output, double Loss, bool Stepped);

    /// <summary>The Learner's own step techniques, in the order they act (built from the options; after the user's callbacks on each event).</summary>
    private readonly List<ILearnerCallback> _techniques = new();

    /// <summary>
    /// One training batch: inputs and targets to the device, then the events and the work between them. For a fit
    /// (<paramref name="probe"/> false) <paramref name="position"/> is the (epoch, batch) the callbacks see and the step
    /// counter advances; a probe runs the techniques only and is not counted. Runs inside the caller's dispose scope and
    /// train mode; the caller sets the learning rate.
    /// </summary>
    private StepResult TrainBatch(Tensor inputs, Tensor targets, bool probe, (int Epoch, int Batch) position = default)
    {
        if (!probe && Options.Seed is { } seed && Device.type == DeviceType.CUDA)
            cuda.manual_seed_all(CudaStepSeed(seed, _step));
        var step = new StepContext(this, probe, position.Epoch, position.Batch, _step, _plan?.StepsPerEpoch ?? 0, CurrentLr, OnDevice(inputs), OnDevice(targets));
        var listeners = probe ? _techniques : Listeners;
        foreach (var cb in listeners) cb.BeforeBatch(step);
        var output = Forward(step.Inputs);
        step.PredictionFrom(output.AsTensor);
        foreach (var cb in listeners) cb.AfterPrediction(step);
        step.Loss = output.LossOf(Loss, step.Targets);
        step.LossValue = step.Loss.ToDouble();
        if (!probe) foreach (var cb in _callbacks) cb.OnBatchLoss(this, step.Info);
        foreach (var cb in listeners) cb.AfterLoss(step);
        // A fit stops where a callback asked; a probe (never stopped by callbacks) ends at a loss that is not finite.
        if (probe ? !double.IsFinite(step.LossValue) : _stopImmediately) return new StepResult(output, step.LossValue, false);
        // Zeroing follows ZeroGradients also for a cancelled batch: under accumulation, the first batch of a group clears the
        // last group's gradients even when it is cancelled.
        if (step.ZeroGradients) Optimizer.zero_grad();
        if (!step.BatchCancelled)
        {
            foreach (var cb in listeners) cb.BeforeBackward(step);
            step.Loss!.backward();
            foreach (var cb in listeners) cb.BeforeStep(step);
            if (probe ? step.BatchCancelled : _stopImmediately) return new StepResult(output, step.LossValue, false);
            if (step.StepOptimizer && !step.BatchCancelled) Optimizer.step();
            foreach (var cb in listeners) cb.AfterStep(step);
        }
        if (!probe) AdvancePosition(step);
        return new StepResult(output, step.LossValue, true);
    }

    /// <summary>A batch through the model in eval mode without gradients (the caller holds both): the loss and metric updates when <paramref name="targets"/> are given.</summary>
    private StepResult EvalBatch(Tensor inputs, Tensor? targets)
    {
        var output = Forward(OnDevice(inputs));
        if (targets is null) return new StepResult(output, double.NaN, false);
        var y = OnDevice(targets);
        double value = output.LossOf(Loss, y).ToDouble();
        if (_metrics.Count > 0)
        {
            var predictions = output.AsTensor();
            foreach (var m in _metrics) m.Update(predictions, y);
        }
        return new StepResult(output, value, false);
    }

    /// <summary>
    /// The forward pass. Mixed precision without autocast: the model (but its normalisation layers) is in the
    /// low-precision type, so the input is cast to it and the output back to float32 for the loss, softmax and metrics.
    /// </summary>
    private ForwardOutput Forward(Tensor x)
    {
        if (_lowPrecision is { } low && x.is_floating_point()) x = x.to(low);
        var output = _forward(x);
        return _lowPrecision is null ? output : output.ToFloat32();
    }

    /// <summary>
    /// A fit batch is done (stepped, skipped by the gradient guard — which like GradScaler lets the schedule's clock run
    /// on — or cancelled): the step counter and the epoch position advance, then the batch-end events run.
    /// </summary>
    private void AdvancePosition(StepContext step)
    {
        _step++;
        long n = step.Inputs.shape[0];
        // Before OnBatchEnd: a checkpoint written there records this batch as done.
        _position = _position! with
        {
            Batch = _position.Batch + 1,
            LossSum = _position.LossSum + step.LossValue * n,
            Samples = _position.Samples + n,
        };
        if (step.EpochCancelled) _cancelEpoch = true;
        var info = step.Info;
        foreach (var cb in _callbacks) cb.OnBatchEnd(this, info);
        foreach (var cb in Listeners) cb.AfterBatch(step);
    }

    /// <summary>
    /// Who hears the events, in order (rebuilt when a callback is added): during a fit its display and recorder
    /// (<see cref="FitProgress"/>), then the options' callbacks, then the Learner's own techniques.
    /// </summary>
    private List<ILearnerCallback> Listeners => _listeners ??= _front.Concat(_callbacks).Concat(_techniques).ToList();

    /// <summary>The fit's display and recorder while a fit runs; empty otherwise.</summary>
    private ILearnerCallback[] _front = [];

    private List<ILearnerCallback>? _listeners;

    /// <summary>
    /// The CUDA generator's seed for fit step <paramref name="step"/>. TorchSharp 0.107 cannot read the
    /// CUDA generator's state, so with a seed it is re-seeded before every step from (seed, step): its
    /// dropout masks are then a function of the step counter, which checkpoints hold, and a run resumed
    /// at any step — mid-epoch too — draws the same masks as the uninterrupted one.
    /// </summary>
    internal static long CudaStepSeed(long seed, long step) => unchecked(seed * 1_000_003 + step);
}
