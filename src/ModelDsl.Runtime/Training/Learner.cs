using ModelDsl.Data;
using ModelDsl.Metrics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// Trains any <c>Module&lt;Tensor, Tensor&gt;</c> (a generated ModelDsl net or a hand-written one) on
/// <see cref="Batch"/> loaders: loss, optimizer, per-batch learning-rate schedules, metrics,
/// callbacks, a progress display, checkpoints with exact resume, freezing and per-stage learning
/// rates by the model's stages (its named child modules).
/// <para>This file: construction, device and the stage/parameter-group bookkeeping. The one batch
/// step every loop shares, open to callbacks through its events, is in Learner.Step.cs (the options'
/// techniques — L1, loss scaling, the gradient guard, clipping — are step callbacks in their own files),
/// the loops in Learner.Fit.cs, the LR finder in Learner.LrFind.cs, checkpoints in Learner.Checkpoints.cs.</para>
/// </summary>
public sealed partial class Learner : IDisposable
{
    private readonly ParameterStages _stages;
    private readonly List<ILearnerCallback> _callbacks;
    private readonly List<IMetric> _metrics;
    private bool _disposed;

    /// <param name="model">Moved to <see cref="Device"/> here, before the optimizer is built over its parameters.</param>
    /// <param name="train">One enumeration is one epoch; each batch is disposed after its step.</param>
    /// <param name="valid">Optional; without it valid_loss is "-" and metrics are not computed.</param>
    /// <param name="options">Loss, optimizer, metrics, callbacks, device, seed, output; defaults when null.</param>
    public Learner(nn.Module<Tensor, Tensor> model, IEnumerable<Batch> train, IEnumerable<Batch>? valid = null, LearnerOptions? options = null)
        : this(model, x => new ForwardOutput(model.forward(x)), train, valid, options)
    {
        _singleOutputModel = model;
    }

    /// <summary>The one constructor behind the public ones: <paramref name="forward"/> is how the loops call <paramref name="model"/>.</summary>
    private Learner(nn.Module model, Func<Tensor, ForwardOutput> forward, IEnumerable<Batch> train, IEnumerable<Batch>? valid, LearnerOptions? options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        Options = options ?? new LearnerOptions();
        Module = model;
        _forward = forward;
        _batchNorms = new BatchNormBatches(model);
        Loss = Options.Loss;
        Device = Options.Device ?? DefaultDevice;
        Train = train;
        Valid = valid;
        // A hand-written model never passes a generated input check: make sure the CPU's convolutions are right
        // before the first step (also on a GPU run, whose CPU-side work and evaluation may use them).
        Platform.CpuNumerics.EnsureChecked();
        if (Options.Seed is { } seed) Seeding.Everything(seed);
        Module.to(Device);
        _lowPrecision = Options.MixedPrecision.LowPrecisionType();
        if (_lowPrecision is { } low) Module.ToMixedPrecision(low);

        _metrics = Options.Metrics.ToList();
        _callbacks = Options.Callbacks.ToList();
        if (Options.GuardAgainstNaN && !_callbacks.OfType<NanGuard>().Any()) _callbacks.Insert(0, new NanGuard());
        if (Options.GuardAgainstNaN && Options.MaxConsecutiveSkippedSteps < 1)
            throw new ArgumentOutOfRangeException(nameof(options), Options.MaxConsecutiveSkippedSteps, "MaxConsecutiveSkippedSteps must be at least 1.");

        if (!(Options.L1 >= 0) || double.IsInfinity(Options.L1))
            throw new ArgumentOutOfRangeException(nameof(options), Options.L1, "L1 must be finite and ≥ 0.");
        _stages = new ParameterStages(Module);
        // Mixed precision keeps its float32 master weights in the fused optimizer's flat buffers.
        var spec = _lowPrecision is null ? Options.Optimizer : Options.Optimizer with { Fused = true };
        Optimizer = spec.Build(_stages.Groups, 1e-3);
        _stages.Bind(Optimizer);
        if (_lowPrecision is not null)
        {
            var fused = (FusedOptimizer)Optimizer;
            fused.MaxGradientNorm = Options.GradientClipNorm;
            if (Options.MixedPrecision == MixedPrecision.Float16)
            {
                LossScaler = Options.LossScaler ?? new DynamicLossScaler();
                fused.SkipNonFiniteSteps = true;
            }
        }
        AddTechniques();
    }

    /// <summary>
    /// What the options add to a plain step, each a step technique on the step's events, in the order they act: L1 joins
    /// the loss, float16 scales it, the gradient guard checks the gradients (float16's scaler skips such steps itself), then
    /// clipping (mixed precision clips inside the fused optimizer instead).
    /// </summary>
    private void AddTechniques()
    {
        if (Options.L1 > 0) _techniques.Add(new L1Regularisation(Options.L1, _stages.Trainable));
        if (LossScaler is { } scaler) _techniques.Add(new LossScaling(scaler, (FusedOptimizer)Optimizer));
        if (Options.GuardAgainstNaN && LossScaler is null)
            _techniques.Add(_gradientGuard = new GradientGuard(Module.named_parameters().ToList(), Options.MaxConsecutiveSkippedSteps));
        if (Options.GradientClipNorm is { } clip && _lowPrecision is null) _techniques.Add(new GradientClipping(clip, _stages.Trainable));
    }

    /// <summary>The low-precision type of a mixed-precision run (<see cref="LearnerOptions.MixedPrecision"/>), else null.</summary>
    private readonly ScalarType? _lowPrecision;

    /// <summary>The loss scaler of a <see cref="MixedPrecision.Float16"/> run, else null.</summary>
    public DynamicLossScaler? LossScaler { get; }

    /// <summary>CUDA when TorchSharp finds a GPU, else CPU.</summary>
    public static Device DefaultDevice => cuda.is_available() ? CUDA : CPU;

    public LearnerOptions Options { get; }

    /// <summary>The model being trained, whatever its forward returns: parameters, modes, state dict.</summary>
    public nn.Module Module { get; }

    /// <summary>The model as its single-tensor type (the model passed to the public constructor).</summary>
    public nn.Module<Tensor, Tensor> Model => _singleOutputModel
        ?? throw new InvalidOperationException($"This learner trains {Module.GetType().Name}, whose forward does not return one tensor; use Learner.Module.");

    private readonly nn.Module<Tensor, Tensor>? _singleOutputModel;

    /// <summary>How every loop calls the model (see <see cref="ForwardOutput"/>).</summary>
    private readonly Func<Tensor, ForwardOutput> _forward;
    /// <summary>
    /// One enumeration is one epoch. When the model has a BatchNorm, a ModelDsl loader set here leaves out a last batch
    /// of one sample (<see cref="BatchNormBatches"/>): PyTorch refuses such a batch, libtorch would write NaN statistics.
    /// </summary>
    public IEnumerable<Batch> Train
    {
        get => _train;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _train = value;
            _singleBatchNote = _batchNorms.PrepareTrainLoader(value);
            _trainDeviceNote = LoaderDevices.Align(value, Device, "training");
        }
    }

    /// <summary>
    /// One enumeration is one validation pass. A ModelDsl loader built without a device builds its batches on the learner's
    /// (<see cref="LoaderDevices"/>), as <see cref="Train"/>'s does.
    /// </summary>
    public IEnumerable<Batch>? Valid
    {
        get => _valid;
        set
        {
            _valid = value;
            _validDeviceNote = value is null ? null : LoaderDevices.Align(value, Device, "validation");
        }
    }

    private IEnumerable<Batch>? _valid;

    /// <summary>What a fit says first when a loader's chosen device is not the learner's (never a silent copy); else null.</summary>
    private string? _trainDeviceNote, _validDeviceNote;

    private IEnumerable<Batch> _train = null!;

    /// <summary>The model's BatchNorm layers and their guard against a batch of one value per channel.</summary>
    private readonly BatchNormBatches _batchNorms;

    /// <summary>The line a fit prints when the training loader leaves out a last batch of one sample; else null.</summary>
    private string? _singleBatchNote;
    public Loss Loss { get; }
    public Device Device { get; }

    /// <summary><paramref name="t"/> on the learner's device: itself when it is there already, else a copy.</summary>
    private Tensor OnDevice(Tensor t) => t.device == Device ? t : t.to(Device);

    /// <summary>
    /// Eval mode until disposed, then whatever mode the model had: evaluating inside a fit (or from a
    /// callback) must not leave a training model in eval mode, nor an eval-mode model in training.
    /// </summary>
    private readonly struct EvalMode : IDisposable
    {
        private readonly nn.Module _model;
        private readonly bool _wasTraining;

        public EvalMode(nn.Module model)
        {
            _model = model;
            _wasTraining = model.training;
            model.eval();
        }

        public void Dispose() => _model.train(_wasTraining);
    }

    /// <summary>
    /// The TorchSharp optimizer, one parameter group per stage (see <see cref="StageNames"/>); a
    /// <see cref="FusedOptimizer"/> when the spec says <c>fused: true</c>.
    /// </summary>
    public OptimizerHelper Optimizer { get; }

    public IReadOnlyList<IMetric> Metrics => _metrics;
    public IReadOnlyList<ILearnerCallback> Callbacks => _callbacks;
    public History History { get; private set; } = new();

    /// <summary>Why the last fit stopped early (early stopping, NaN guard, a callback), or null.</summary>
    public string? StopReason { get; private set; }

    /// <summary>
    /// Why the last fit could not go on (the NaN guard: a non-finite loss, or non-finite gradients too many steps in
    /// a row), or null when it ended normally — early stopping included. <see cref="ThrowIfFailed"/> turns it into an exception.
    /// </summary>
    public string? Failure { get; private set; }

    /// <summary>Throws <see cref="TrainingStoppedException"/> (the reason and the history so far) when the last fit failed.</summary>
    public void ThrowIfFailed()
    {
        if (Failure is { } why) throw new TrainingStoppedException(why, History);
    }

    /// <summary>Optimizer steps skipped because a gradient was NaN or ±∞ (see <see cref="LearnerOptions.MaxConsecutiveSkippedSteps"/>).</summary>
    public long SkippedSteps => _gradientGuard?.Skipped ?? 0;

    private GradientGuard? _gradientGuard;

    /// <summary>The truth about the weights at a stop, for the guards' messages.</summary>
    internal string DescribeWeights() => GradientGuard.DescribeWeights(Module, _step);

    /// <summary>
    /// The model's stages in order: its named child modules that own parameters. For a generated
    /// model these are the <c>[Stage]</c> names (plus top-level layers outside any stage); for a
    /// hand-written one, its registered submodules. "(root)" holds parameters registered directly on the model.
    /// </summary>
    public IReadOnlyList<string> StageNames => _stages.Names;

    public IReadOnlyCollection<string> FrozenStages => _stages.Frozen;

    public void AddCallback(ILearnerCallback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        _callbacks.Add(callback);
        _listeners = null;
    }

    /// <summary>
    /// Freezes the named stages: their parameters stop requiring gradients and their group's
    /// learning rate is forced to 0, so even optimizer momentum or weight decay cannot move them.
    /// BatchNorm running statistics inside a frozen stage still update in training mode (as in fastai).
    /// </summary>
    public void Freeze(params string[] stages)
    {
        if (stages.Length == 0) throw new ArgumentException("Name at least one stage to freeze; stages: " + string.Join(", ", StageNames), nameof(stages));
        _stages.Freeze(stages);
    }

    /// <summary>Unfreezes the named stages, or all of them when none are named.</summary>
    public void Unfreeze(params string[] stages) => _stages.Unfreeze(stages);

    /// <summary>
    /// Gives a stage its own base learning rate (discriminative learning rates, e.g. a small one for
    /// pretrained features and a larger one for the head). The fit's schedule multiplies it like the
    /// global rate. Null returns the stage to the rate passed to Fit.
    /// </summary>
    public void SetStageLearningRate(string stage, double? lr) => _stages.SetBaseRate(stage, lr);

    public IReadOnlyDictionary<string, double> StageLearningRates => _stages.BaseRates;

    /// <summary>The learning rate each parameter group (stage) had for the most recent step.</summary>
    public IReadOnlyDictionary<string, double> CurrentLearningRates => _stages.CurrentRates;

    /// <summary>SGD momentum or Adam/AdamW β1 of each stage's group for the most recent step.</summary>
    public IReadOnlyDictionary<string, double> CurrentMomentum => _stages.CurrentMomentum(Optimizer is FusedSGD);

    /// <summary>
    /// Asks the loop to stop: after the current epoch, or <paramref name="immediately"/> (skipping the current batch's
    /// step). <paramref name="failed"/> marks a stop training cannot recover from (it sets <see cref="Failure"/>).
    /// </summary>
    public void Stop(string reason, bool immediately = false, bool failed = false)
    {
        StopReason ??= reason;
        if (failed) Failure ??= reason;
        _stopRequested = true;
        _stopImmediately |= immediately;
        _reporter?.Message(reason);
    }

    /// <summary>Sets every group's rate to its base (stage override or <paramref name="baseLr"/>) × <paramref name="factor"/>, 0 when frozen.</summary>
    private double ApplyLearningRate(double baseLr, double factor) => _stages.ApplyLearningRate(baseLr, factor);

    /// <summary>One-cycle's momentum on every group, where the optimizer was built with momentum (built without, it stays off).</summary>
    private void ApplyMomentum(double momentum) =>
        _stages.ApplyMomentum(momentum, Options.Optimizer switch { SgdSpec sgd => sgd.Momentum > 0, RmsPropSpec rms => rms.Momentum > 0, CustomOptimizerSpec => false, _ => true }, Optimizer is FusedSGD);

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _batchNorms.Dispose(); // the model outlives its learner: its BatchNorms lose the guard's hooks
        Optimizer.Dispose();
        foreach (var technique in _techniques.OfType<IDisposable>()) technique.Dispose();
    }
}
