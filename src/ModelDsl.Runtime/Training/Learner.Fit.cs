using System.Diagnostics;
using ModelDsl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>The training loop: Fit, FitOneCycle, validation and prediction.</summary>
public sealed partial class Learner
{
    private ProgressReporter? _reporter;
    private bool _stopRequested, _stopImmediately;
    private FitPlan? _plan;
    private long _step;
    private bool _ampNoticeShown;

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
        Run(plan, startStep: 0);
        return History;
    }

    /// <summary>fastai's fit_one_cycle: warm up to <paramref name="maxLr"/> over <paramref name="pctStart"/> of the steps, then anneal.</summary>
    public History FitOneCycle(int epochs, double maxLr, double pctStart = 0.25, double div = 25, double finalDiv = 1e5) =>
        Fit(epochs, maxLr, LrSchedule.OneCycle(pctStart, div, finalDiv));

    private void Run(FitPlan plan, long startStep)
    {
        _plan = plan;
        _step = startStep;
        _stopRequested = _stopImmediately = false;
        StopReason = null;
        _reporter = ProgressReporter.Create(Options.Output, Options.Writer);
        try
        {
            _reporter.Run(() =>
            {
                foreach (var cb in _callbacks) cb.OnFitStart(this);
                _reporter.FitStart(_metrics.Select(m => m.Name).ToList(), printHeader: true);
                if (Options.MixedPrecision && !_ampNoticeShown)
                {
                    _ampNoticeShown = true;
                    _reporter.Message(Device.type == DeviceType.CUDA
                        ? "note: mixed precision requested, but TorchSharp 0.107 has no autocast; training in float32."
                        : "note: mixed precision applies to CUDA only; training in float32 on the CPU.");
                }
                int last = plan.FirstEpoch + plan.Epochs - 1;
                for (int epoch = History.Count; epoch <= last && !_stopRequested; epoch++)
                {
                    var sw = Stopwatch.StartNew();
                    foreach (var cb in _callbacks) cb.OnEpochStart(this, epoch);
                    double trainLoss = TrainEpoch(epoch, last, plan);
                    if (_stopImmediately) break;
                    var (validLoss, metrics) = Valid is null ? (double.NaN, new List<KeyValuePair<string, double>>()) : Evaluate(Valid, report: true);
                    sw.Stop();
                    var record = new EpochRecord(epoch, trainLoss, validLoss, metrics, sw.Elapsed.TotalSeconds, CurrentLr);
                    History.Add(record);
                    _reporter.EpochEnd(record);
                    foreach (var cb in _callbacks) cb.OnEpochEnd(this, record);
                }
                foreach (var cb in _callbacks) cb.OnFitEnd(this);
            });
        }
        finally
        {
            _reporter = null;
            _plan = null;
            Model.train();
        }
    }

    private double CurrentLr { get; set; }

    private double TrainEpoch(int epoch, int lastEpoch, FitPlan plan)
    {
        Model.train();
        LoaderProbe.SetEpoch(Train, epoch);
        // The CUDA generator's state cannot be saved in TorchSharp 0.107; re-seeding it from
        // (seed, epoch) at every epoch gives resumed GPU runs the same dropout masks as uninterrupted ones.
        if (Options.Seed is { } seed && Device.type == DeviceType.CUDA) cuda.manual_seed_all(seed * 1_000_003 + epoch);
        _reporter!.EpochStart(epoch, plan.FirstEpoch, lastEpoch, plan.StepsPerEpoch);
        double sum = 0;
        long count = 0;
        int b = 0;
        foreach (var batch in Train)
        {
            using (batch)
            {
                double factor = plan.Schedule.Factor(_step, plan.TotalSteps, plan.StepsPerEpoch);
                CurrentLr = ApplyLearningRate(plan.LearningRate, factor);
                if (plan.Schedule.Momentum(_step, plan.TotalSteps, plan.StepsPerEpoch) is { } momentum) ApplyMomentum(momentum);
                using var scope = NewDisposeScope();
                var result = OneBatch(batch.Inputs, batch.Targets, StepPhase.Fit, (epoch, b));
                if (!result.Stepped) break;
                long n = batch.Size;
                sum += result.Loss * n;
                count += n;
                _reporter.BatchEnd(b, result.Loss);
                b++;
                if (_stopImmediately) break;
            }
        }
        return count == 0 ? double.NaN : sum / count;
    }

    /// <summary>
    /// Mean loss and metrics over <paramref name="loader"/> (the validation loader by default), in
    /// eval mode without gradients. Metrics are reset first and computed at the end.
    /// </summary>
    public (double Loss, IReadOnlyList<KeyValuePair<string, double>> Metrics) Validate(IEnumerable<Batch>? loader = null)
    {
        loader ??= Valid ?? throw new InvalidOperationException("No validation loader: pass one to Validate or to the Learner.");
        var (l, m) = Evaluate(loader, report: false);
        return (l, m);
    }

    private (double, List<KeyValuePair<string, double>>) Evaluate(IEnumerable<Batch> loader, bool report)
    {
        if (report) _reporter?.ValidationStart(LoaderProbe.Count(loader));
        foreach (var m in _metrics) m.Reset();
        double sum = 0;
        long count = 0;
        using (new EvalMode(Model))
        {
            using var noGrad = no_grad();
            foreach (var batch in loader)
            {
                using (batch)
                {
                    using var scope = NewDisposeScope();
                    var result = OneBatch(batch.Inputs, batch.Targets, StepPhase.Validate);
                    long n = batch.Size;
                    sum += result.Loss * n;
                    count += n;
                }
            }
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
        using var evalMode = new EvalMode(Model);
        try
        {
            using var noGrad = no_grad();
            foreach (var batch in loader)
            {
                using (batch)
                {
                    using var scope = NewDisposeScope();
                    preds.Add(OneBatch(batch.Inputs, null, StepPhase.Predict).Output.cpu().MoveToOuterDisposeScope());
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
        using var evalMode = new EvalMode(Model);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return OneBatch(inputs, null, StepPhase.Predict).Output.MoveToOuterDisposeScope();
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
