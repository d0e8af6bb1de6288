using ModelDsl.Metrics;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>Everything about a <see cref="Learner"/> except the model and the data.</summary>
public sealed class LearnerOptions
{
    /// <summary>Default: cross-entropy on logits with int64 labels.</summary>
    public Loss Loss { get; init; } = Loss.CrossEntropy();

    /// <summary>Default: AdamW(0.9, 0.99, eps 1e-5, weight decay 0.01), fastai's default.</summary>
    public OptimizerSpec Optimizer { get; init; } = OptimizerSpec.AdamW();

    /// <summary>Updated on every validation batch, computed at the end of each epoch; their names are table columns.</summary>
    public IList<IMetric> Metrics { get; init; } = new List<IMetric>();

    public IList<ILearnerCallback> Callbacks { get; init; } = new List<ILearnerCallback>();

    /// <summary>Null: CUDA when available, else CPU.</summary>
    public Device? Device { get; init; }

    /// <summary>
    /// Seeds torch's generators when the learner is built, and CUDA's again before every training step
    /// from (seed, step) (TorchSharp 0.107 cannot read the CUDA generator's state, so re-seeding by the
    /// step counter is what makes resumed GPU runs repeat, mid-epoch too). Seed before building the
    /// model too (<see cref="Seeding.Everything"/>) for identical initial weights.
    /// </summary>
    public long? Seed { get; init; }

    /// <summary>Clips the global L2 norm of the gradients (clip_grad_norm_) when set.</summary>
    public double? GradientClipNorm { get; init; }

    /// <summary>
    /// L1 regularisation, as the course writes it beside weight decay: λ·Σ|w| over the trainable parameters added to the
    /// loss the gradients come from (each weight pulled towards 0 by λ·sign(w)). 0 (default) adds nothing. The loss the
    /// table and callbacks report stays the data loss, as weight decay's penalty is not reported either.
    /// </summary>
    public double L1 { get; init; }

    /// <summary>
    /// The NaN guard (default true): a <see cref="NanGuard"/> stops the fit when the loss is NaN/±∞, and a step whose
    /// gradients hold NaN/±∞ is skipped (<see cref="Learner.SkippedSteps"/>) — the weights never take them.
    /// </summary>
    public bool GuardAgainstNaN { get; init; } = true;

    /// <summary>
    /// Steps in a row with non-finite gradients after which the NaN guard stops the fit (default 3): one such step
    /// is skipped and training goes on, as GradScaler does; several in a row mean training cannot recover.
    /// </summary>
    public int MaxConsecutiveSkippedSteps { get; init; } = 3;

    public OutputMode Output { get; init; } = OutputMode.Auto;

    /// <summary>Where plain output goes (default Console.Out); setting it implies plain output in Auto mode.</summary>
    public TextWriter? Writer { get; init; }

    /// <summary>
    /// Batches per epoch for schedules when the training loader cannot tell (it is not a collection
    /// and has no Count property). Otherwise the loader is enumerated once to count.
    /// </summary>
    public long? StepsPerEpoch { get; init; }

    /// <summary>
    /// Train in bfloat16 or float16 with float32 master weights (see <see cref="Training.MixedPrecision"/>): the
    /// model is converted when the Learner is built (normalisation layers stay float32), inputs are cast at each
    /// step, the loss sees float32 outputs, and the optimizer is the fused variant of <see cref="Optimizer"/>
    /// (it holds the masters). It runs on the CPU too, which is how it is tested, but there it is slower than float32: the
    /// libtorch 2.10 that TorchSharp 0.107 brings runs bfloat16 convolutions about 9× slower than float32 on the
    /// development CPU (docs/BENCHMARKS.md); the speed-up is for GPUs.
    /// </summary>
    public MixedPrecision MixedPrecision { get; init; }

    /// <summary>The loss scaler of a <see cref="MixedPrecision.Float16"/> run; GradScaler's defaults when null.</summary>
    public DynamicLossScaler? LossScaler { get; init; }
}
