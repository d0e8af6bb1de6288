using ModelDsl.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// The one batch step every loop goes through (fastai's <c>_do_one_batch</c>): training, validation,
/// prediction and the LR finder differ only in <see cref="StepPhase"/>, so device moves, the forward
/// pass, the loss, the optimizer step and the batch callbacks exist once.
/// </summary>
public sealed partial class Learner
{
    /// <summary>What a step does after the forward pass.</summary>
    private enum StepPhase
    {
        /// <summary>Loss, batch callbacks, backward, clipping, optimizer step: one step of a fit.</summary>
        Fit,
        /// <summary>Loss, backward, clipping, optimizer step, no callbacks (the LR finder's probe must not fire checkpoints or early stopping); a non-finite loss is not stepped.</summary>
        Probe,
        /// <summary>Loss and metric updates (the caller holds eval mode and no_grad).</summary>
        Validate,
        /// <summary>Forward only (the caller holds eval mode and no_grad).</summary>
        Predict,
    }

    /// <summary>The outcome of one step; its tensors live in the caller's dispose scope.</summary>
    /// <param name="Output">The model's output on the learner's device (float32 under mixed precision).</param>
    /// <param name="Loss">The batch's mean loss, NaN for <see cref="StepPhase.Predict"/>.</param>
    /// <param name="Stepped">Whether the optimizer stepped (false when a callback stopped the fit, or the probe's loss was not finite).</param>
    private readonly record struct StepResult(ForwardOutput Output, double Loss, bool Stepped);

    /// <summary>
    /// One batch: inputs and targets to the device, forward, loss, and — as <paramref name="phase"/>
    /// says — metric updates, or callbacks, backward and the optimizer step. Runs inside the caller's
    /// dispose scope (every tensor it makes is freed with that scope) and under the caller's grad and
    /// train/eval mode, which are per loop, not per batch. For <see cref="StepPhase.Fit"/>,
    /// <paramref name="position"/> is the (epoch, batch) the callbacks see and the step counter advances.
    /// </summary>
    private StepResult OneBatch(Tensor inputs, Tensor? targets, StepPhase phase, (int Epoch, int Batch) position = default)
    {
        if (phase == StepPhase.Fit && Options.Seed is { } seed && Device.type == DeviceType.CUDA)
            cuda.manual_seed_all(CudaStepSeed(seed, _step));
        var x = OnDevice(inputs);
        // Mixed precision without autocast: the model (but its normalisation layers) is in the low-precision
        // type, so the input is cast to it and the output back to float32 for the loss, softmax and metrics.
        if (_lowPrecision is { } low && x.is_floating_point()) x = x.to(low);
        var output = _forward(x);
        if (_lowPrecision is not null) output = output.ToFloat32();
        if (phase == StepPhase.Predict) return new StepResult(output, double.NaN, false);

        var y = OnDevice(targets ?? throw new ArgumentNullException(nameof(targets), "Training and validation steps need targets."));
        var loss = output.LossOf(Loss, y);
        double value = loss.ToDouble();
        if (phase == StepPhase.Validate)
        {
            if (_metrics.Count > 0)
            {
                var predictions = output.AsTensor();
                foreach (var m in _metrics) m.Update(predictions, y);
            }
            return new StepResult(output, value, false);
        }

        var info = new BatchInfo(position.Epoch, position.Batch, _step, value, CurrentLr);
        if (phase == StepPhase.Fit)
        {
            foreach (var cb in _callbacks) cb.OnBatchLoss(this, info);
            if (_stopImmediately) return new StepResult(output, value, false);
        }
        else if (!double.IsFinite(value)) return new StepResult(output, value, false);

        Optimizer.zero_grad();
        if (Options.L1 > 0) loss = loss.add(L1Penalty(), KeptScalars.One);
        if (LossScaler is { } scaler)
        {
            // float16: scale the loss so small gradients survive; the fused optimizer unscales, clips and skips non-finite steps.
            (loss * scaler.Scale).backward();
            ((FusedOptimizer)Optimizer).GradientScale = scaler.Scale;
        }
        else loss.backward();
        // Non-finite gradients never reach the weights (float16's loss scaler skips those steps itself).
        if (_gradientGuard is { } guard && LossScaler is null &&
            !guard.AllFinite(info, DescribeWeights, out var stopReason))
        {
            if (phase == StepPhase.Probe) return new StepResult(output, value, false);
            if (stopReason is not null)
            {
                Stop(stopReason, immediately: true, failed: true);
                return new StepResult(output, value, false);
            }
            AdvancePosition(inputs, value, info);
            return new StepResult(output, value, true);
        }
        // Mixed precision clips inside the fused optimizer, in float32 after unscaling (MaxGradientNorm).
        if (Options.GradientClipNorm is { } clip && _lowPrecision is null) nn.utils.clip_grad_norm_(TrainableParameters(), clip);
        Optimizer.step();
        if (LossScaler is { } s)
        {
            // A few skipped steps while the scale finds its level are normal (GradScaler prints nothing either);
            // LossScaler.SkippedSteps counts them.
            s.Update(((FusedOptimizer)Optimizer).LastStepSkipped);
        }
        if (phase == StepPhase.Fit) AdvancePosition(inputs, value, info);
        return new StepResult(output, value, true);
    }

    /// <summary>
    /// A fit batch is done (stepped, or skipped by the gradient guard, which like GradScaler lets the schedule's clock
    /// run on): the step counter and the epoch position advance, then the batch-end callbacks run.
    /// </summary>
    private void AdvancePosition(Tensor inputs, double loss, BatchInfo info)
    {
        _step++;
        // Before OnBatchEnd: a checkpoint written there records this batch as done.
        _position = _position! with
        {
            Batch = _position.Batch + 1,
            LossSum = _position.LossSum + loss * inputs.shape[0],
            Samples = _position.Samples + inputs.shape[0],
        };
        foreach (var cb in _callbacks) cb.OnBatchEnd(this, info);
    }

    /// <summary>
    /// The CUDA generator's seed for fit step <paramref name="step"/>. TorchSharp 0.107 cannot read the
    /// CUDA generator's state, so with a seed it is re-seeded before every step from (seed, step): its
    /// dropout masks are then a function of the step counter, which checkpoints hold, and a run resumed
    /// at any step — mid-epoch too — draws the same masks as the uninterrupted one.
    /// </summary>
    internal static long CudaStepSeed(long seed, long step) => unchecked(seed * 1_000_003 + step);

    /// <summary>λ·Σ|w| over the trainable parameters (<see cref="LearnerOptions.L1"/>), in float32.</summary>
    private Tensor L1Penalty()
    {
        Tensor? sum = null;
        foreach (var p in TrainableParameters())
        {
            var term = p.abs().sum().to_type(ScalarType.Float32);
            sum = sum is null ? term : sum.add(term, KeptScalars.One);
        }
        // λ as a Scalar this learner owns for its life (a bare number would be a temporary Scalar: KeptScalars says why).
        return sum is null ? zeros(1) : sum.mul(_l1 ??= Options.L1.ToScalar());
    }

    private Scalar? _l1;
}
