using System.Diagnostics;
using ModelDsl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>The training loop: Fit, FitOneCycle, validation and prediction.</summary>
public sealed partial class Learner
{
    private ProgressReporter? _reporter;
    private bool _stopRequested, _stopImmediately, _cancelEpoch;
    private FitPlan? _plan;
    private long _step;

    // The epoch in progress, for step-level checkpoints: batches done, their loss sum and sample
    // count, and the CPU generator's state when the epoch began. Null outside an epoch.
    private EpochPosition? _position;

    /// <summary>
    /// Trains <paramref name="epochs"/> epochs at base rate <paramref name="lr"/> under
    /// <paramref name="schedule"/> (constant when null), stepping the schedule every batch.
    /// Epoch numbers continue from the history, so a second Fit appends to the same table.
    /// </summary>
    public History Fit(int epochs, double lr, LrSchedule? schedule = null)
    {
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "Train at least one epoch.");
        if (!(lr > 0) || !double.IsFinite(lr)) throw new ArgumentOutOfRangeException(nameof(lr), lr, "The learning rate must be finite and > 0.");
        var plan = new FitPlan(History.Count, epochs, lr, schedule ?? LrSchedule.Constant, StepsPerEpoch());
        Run(plan, startStep: 0, resumeAt: null);
        return History;
    }

    /// <summary>fastai's fit_one_cycle: warm up to <paramref name="maxLr"/> over <paramref name="pctStart"/> of the steps, then anneal.</summary>
    public History FitOneCycle(int epochs, double maxLr, double pctStart = 0.25, double div = 25, double finalDiv = 1e5) =>
        Fit(epochs, maxLr, LrSchedule.OneCycle(pctStart, div, finalDiv));

    /// <summary>Runs <paramref name="plan"/> from step <paramref name="startStep"/>; <paramref name="resumeAt"/>, a mid-epoch checkpoint's state, resumes its epoch at its position.</summary>
    private void Run(FitPlan plan, long startStep, CheckpointState? resumeAt)
    {
        _plan = plan;
        _step = startStep;
        // The rate of the last step taken, as an uninterrupted run would report it for an epoch whose
        // batches were all trained before the checkpoint (it is set again by every step).
        if (startStep > 0) CurrentLr = ApplyLearningRate(plan.LearningRate, plan.Schedule.Factor(startStep - 1, plan.TotalSteps, plan.StepsPerEpoch));
        _stopRequested = _stopImmediately = false;
        StopReason = Failure = null;
        _reporter = ProgressReporter.Create(Options.Output, Options.Writer);
        // The display and the recorder listen first for the length of the fit (FitProgress).
        string[] notes = new[] { _singleBatchNote, _trainDeviceNote, _validDeviceNote }.OfType<string>().ToArray();
        _front = [new FitProgress(_reporter, plan, _metrics.Select(m => m.Name).ToList(), notes)];
        _listeners = null;
        try
        {
            _reporter.Run(() =>
            {
                foreach (var cb in Listeners) cb.OnFitStart(this);
                int last = plan.FirstEpoch + plan.Epochs - 1;
                for (int epoch = History.Count; epoch <= last && !_stopRequested; epoch++)
                {
                    var sw = Stopwatch.StartNew();
                    foreach (var cb in Listeners) cb.OnEpochStart(this, epoch);
                    double trainLoss = TrainEpoch(epoch, plan, resumeAt?.Position is not null && resumeAt.Epoch == epoch ? resumeAt : null);
                    if (_stopImmediately) break;
                    var (validLoss, metrics) = Valid is null ? (double.NaN, new List<KeyValuePair<string, double>>()) : Evaluate(Valid);
                    sw.Stop();
                    var record = new EpochRecord(epoch, trainLoss, validLoss, metrics, sw.Elapsed.TotalSeconds, CurrentLr);
                    foreach (var cb in Listeners) cb.OnEpochEnd(this, record);
                }
                foreach (var cb in Listeners) cb.OnFitEnd(this);
            });
        }
        finally
        {
            _front = [];
            _listeners = null;
            _reporter = null;
            _plan = null;
            _position = null;
            // A stop or a cancelled epoch belongs to this fit: the LR finder or the next fit starts clean.
            _stopRequested = _stopImmediately = _cancelEpoch = false;
            Module.train();
        }
    }

    private double CurrentLr { get; set; }

    private double TrainEpoch(int epoch, FitPlan plan, CheckpointState? resumeAt)
    {
        Module.train();
        LoaderProbe.SetEpoch(Train, epoch);
        using var batches = StartEpoch(resumeAt);
        while (batches.MoveNext())
        {
            using var batch = batches.Current;
            double factor = plan.Schedule.Factor(_step, plan.TotalSteps, plan.StepsPerEpoch);
            CurrentLr = ApplyLearningRate(plan.LearningRate, factor);
            if (plan.Schedule.Momentum(_step, plan.TotalSteps, plan.StepsPerEpoch) is { } momentum) ApplyMomentum(momentum);
            using var scope = NewDisposeScope();
            var result = TrainBatch(batch.Inputs, batch.Targets, probe: false, (epoch, _position!.Batch));
            if (!result.Stepped || _stopImmediately || _cancelEpoch) break;
        }
        _cancelEpoch = false;
        var done = _position!;
        _position = null;
        return done.Samples == 0 ? double.NaN : done.LossSum / done.Samples;
    }

    /// <summary>
    /// The epoch's batches, from its start or — resuming a mid-epoch checkpoint — from the batch after
    /// the last one trained, with every random state as it was at that moment. A loader with a
    /// <c>StartBatch</c> property (ModelDsl's DataLoader) starts there directly; any other loader is
    /// replayed from the epoch's start (the CPU generator put back to its state then) and the batches
    /// before the position are dropped.
    /// </summary>
    private IEnumerator<Batch> StartEpoch(CheckpointState? resumeAt)
    {
        if (resumeAt?.Position is not { } at)
        {
            _position = new EpochPosition(0, 0, 0, Checkpoint.CaptureRng());
            return Train.GetEnumerator();
        }
        _position = at;
        if (LoaderProbe.TrySetStartBatch(Train, at.Batch)) return Train.GetEnumerator();
        Checkpoint.RestoreRng(at.EpochStartRng);
        var batches = Train.GetEnumerator();
        for (int b = 0; b < at.Batch; b++)
        {
            if (!batches.MoveNext())
            {
                batches.Dispose();
                throw new InvalidOperationException($"The checkpoint is at batch {at.Batch} of epoch {resumeAt.Epoch}, but the training loader now yields only {b} batches.");
            }
            batches.Current.Dispose();
        }
        // Replaying drew from the generators; put them back where the checkpoint had them.
        if (resumeAt.RngState is { Length: > 0 } rng) Checkpoint.RestoreRng(rng);
        RestoreLoaderState(Train, resumeAt.TrainLoaderState, "training");
        return batches;
    }

    /// <summary>
    /// Mean loss and metrics over <paramref name="loader"/> (the validation loader by default), in
    /// eval mode without gradients. Metrics are reset first and computed at the end.
    /// </summary>
    public (double Loss, IReadOnlyList<KeyValuePair<string, double>> Metrics) Validate(IEnumerable<Batch>? loader = null)
    {
        loader ??= Valid ?? throw new InvalidOperationException("No validation loader: pass one to Validate or to the Learner.");
        var (l, m) = Evaluate(loader);
        return (l, m);
    }

    private (double, List<KeyValuePair<string, double>>) Evaluate(IEnumerable<Batch> loader)
    {
        foreach (var m in _metrics) m.Reset();
        double sum = 0;
        long count = 0;
        // Callbacks may swap what is evaluated (averaged weights) and must swap it back, whatever happens in between.
        foreach (var cb in Listeners) cb.BeforeValidate(this);
        try
        {
            using var evalMode = new EvalMode(Module);
            using var noGrad = no_grad();
            foreach (var batch in loader)
            {
                using (batch)
                {
                    using var scope = NewDisposeScope();
                    var result = EvalBatch(batch.Inputs, batch.Targets);
                    long n = batch.Size;
                    sum += result.Loss * n;
                    count += n;
                }
            }
        }
        finally
        {
            foreach (var cb in Listeners) cb.AfterValidate(this);
        }
        var results = _metrics.Select(m => new KeyValuePair<string, double>(m.Name, m.Compute())).ToList();
        return (count == 0 ? double.NaN : sum / count, results);
    }

    /// <summary>
    /// Raw model outputs (logits) and targets for every batch of <paramref name="loader"/>, concatenated
    /// on the CPU in loader order (eval mode, no gradients). The caller owns and disposes both tensors.
    /// </summary>
    public (Tensor Predictions, Tensor Targets) GetPredictions(IEnumerable<Batch> loader)
    {
        var preds = new List<Tensor>();
        var targets = new List<Tensor>();
        using var evalMode = new EvalMode(Module);
        try
        {
            using var noGrad = no_grad();
            foreach (var batch in loader)
            {
                using (batch)
                {
                    using var scope = NewDisposeScope();
                    preds.Add(EvalBatch(batch.Inputs, null).Output.AsTensor().cpu().MoveToOuterDisposeScope());
                    targets.Add(batch.Targets.cpu().clone().MoveToOuterDisposeScope());
                }
            }
            if (preds.Count == 0) throw new ArgumentException("The loader yielded no batches.", nameof(loader));
            return (cat(preds, 0), cat(targets, 0));
        }
        finally
        {
            foreach (var t in preds) t.Dispose();
            foreach (var t in targets) t.Dispose();
        }
    }

    /// <summary>
    /// The model's output for one batch of inputs, in eval mode without gradients, on the learner's
    /// device (moved there if needed). Raw logits: apply softmax/sigmoid as the loss implies. The caller disposes it.
    /// </summary>
    public Tensor Predict(Tensor inputs)
    {
        using var evalMode = new EvalMode(Module);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return EvalBatch(inputs, null).Output.AsTensor().MoveToOuterDisposeScope();
    }

    private long StepsPerEpoch()
    {
        if (LoaderProbe.Count(Train) is { } n) return Math.Max(1, n);
        if (Options.StepsPerEpoch is { } s) return Math.Max(1, s);
        // Last resort: count one pass. Costs an epoch of loading, so loaders should expose Count.
        long c = 0;
        foreach (var b in Train) { b.Dispose(); c++; }
        return Math.Max(1, c);
    }
}
