namespace ModelDsl.Training;

/// <summary>
/// Dynamic loss scaling for float16 training, with PyTorch's <c>torch.amp.GradScaler</c> semantics: the loss is
/// multiplied by <see cref="Scale"/> before backward so that small gradients do not flush to zero in float16; the
/// optimizer divides the gradients by it again (in float32) and skips the step when any is infinite or NaN.
/// <see cref="Update"/> then halves the scale after a skipped step (<see cref="BackoffFactor"/>) and doubles it
/// (<see cref="GrowthFactor"/>) after <see cref="GrowthInterval"/> clean steps in a row.
/// </summary>
public sealed class DynamicLossScaler
{
    public DynamicLossScaler(double initialScale = 65536, double growthFactor = 2, double backoffFactor = 0.5, int growthInterval = 2000)
    {
        if (!(initialScale > 0) || double.IsInfinity(initialScale)) throw new ArgumentOutOfRangeException(nameof(initialScale), initialScale, "The scale must be positive and finite.");
        if (!(growthFactor > 1)) throw new ArgumentOutOfRangeException(nameof(growthFactor), growthFactor, "The growth factor must be > 1.");
        if (!(backoffFactor > 0 && backoffFactor < 1)) throw new ArgumentOutOfRangeException(nameof(backoffFactor), backoffFactor, "The backoff factor must be in (0, 1).");
        if (growthInterval < 1) throw new ArgumentOutOfRangeException(nameof(growthInterval), growthInterval, "The growth interval must be ≥ 1.");
        Scale = initialScale;
        GrowthFactor = growthFactor;
        BackoffFactor = backoffFactor;
        GrowthInterval = growthInterval;
    }

    /// <summary>The factor the loss is multiplied by before backward.</summary>
    public double Scale { get; private set; }
    public double GrowthFactor { get; }
    public double BackoffFactor { get; }
    public int GrowthInterval { get; }

    /// <summary>Clean steps since the last growth or backoff.</summary>
    public int GrowthTracker { get; private set; }

    /// <summary>Steps skipped so far because a gradient was not finite.</summary>
    public long SkippedSteps { get; private set; }

    /// <summary>After a step: halve the scale if it was skipped (<paramref name="foundNonFinite"/>), else count it and grow on schedule.</summary>
    public void Update(bool foundNonFinite)
    {
        if (foundNonFinite)
        {
            Scale *= BackoffFactor;
            GrowthTracker = 0;
            SkippedSteps++;
            return;
        }
        if (++GrowthTracker < GrowthInterval) return;
        Scale *= GrowthFactor;
        GrowthTracker = 0;
    }

    /// <summary>Puts back a state saved in a checkpoint.</summary>
    public void Restore(double scale, int growthTracker, long skippedSteps)
    {
        if (!(scale > 0) || double.IsInfinity(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be positive and finite.");
        Scale = scale;
        GrowthTracker = growthTracker;
        SkippedSteps = skippedSteps;
    }
}
