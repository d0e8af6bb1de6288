using System.Globalization;

namespace ModelDsl.Training;

/// <summary>
/// A learning-rate schedule as a pure function of the batch step: <c>lr = baseLr · Factor(step)</c>.
/// TorchSharp's own schedulers keep hidden mutable state that cannot be checkpointed; a pure function
/// needs only the step counter to resume exactly, and is trivially testable at known steps.
/// Every schedule is stepped per batch (the step counts optimizer steps from 0).
/// </summary>
public abstract record LrSchedule
{
    /// <summary>Multiplier of the base learning rate for optimizer step <paramref name="step"/> of <paramref name="totalSteps"/>.</summary>
    public abstract double Factor(long step, long totalSteps, long stepsPerEpoch);

    /// <summary>
    /// Momentum (SGD momentum, Adam/AdamW β1) for the step, or null to leave the optimizer's own.
    /// Only one-cycle sets it: low momentum while the rate is high keeps large steps stable (Smith 2018).
    /// </summary>
    public virtual double? Momentum(long step, long totalSteps, long stepsPerEpoch) => null;

    /// <summary>Kind and parameters, stored in checkpoints so <c>Resume</c> can rebuild the schedule.</summary>
    internal abstract string Serialize();

    /// <summary>A constant learning rate.</summary>
    public static LrSchedule Constant { get; } = new ConstantSchedule();

    /// <summary>
    /// fastai's one-cycle: cosine warm-up from <c>maxLr/div</c> to <c>maxLr</c> over the first
    /// <paramref name="pctStart"/> of the steps, then cosine annealing down to <c>maxLr/finalDiv</c>.
    /// With <paramref name="cycleMomentum"/> momentum / β1 moves the opposite way, 0.95 → 0.85 → 0.95
    /// (fastai's and PyTorch's default); it is not applied to SGD built without momentum.
    /// </summary>
    public static LrSchedule OneCycle(double pctStart = 0.25, double div = 25, double finalDiv = 1e5, bool cycleMomentum = true) =>
        new OneCycleSchedule(pctStart, div, finalDiv, cycleMomentum ? 0.95 : double.NaN, cycleMomentum ? 0.85 : double.NaN);

    /// <summary>Linear warm-up from ~0 over <paramref name="warmupFraction"/> of the steps, then cosine decay to <paramref name="minFactor"/>.</summary>
    public static LrSchedule CosineWithWarmup(double warmupFraction = 0.1, double minFactor = 0.0) =>
        new CosineWarmupSchedule(warmupFraction, minFactor);

    /// <summary>Multiplies the rate by <paramref name="gamma"/> every <paramref name="everyEpochs"/> epochs (applied per batch at the epoch boundary).</summary>
    public static LrSchedule Step(int everyEpochs, double gamma = 0.1) => new StepSchedule(everyEpochs, gamma);

    /// <summary>
    /// Your own schedule: <paramref name="factor"/>(step, totalSteps, stepsPerEpoch) multiplies the base rate at each optimizer step
    /// (from 0), and <paramref name="momentum"/>, if given, sets SGD momentum or Adam's β1 as one-cycle does. Keep it a pure function
    /// of its arguments so a resumed run continues exactly; <paramref name="name"/> is what checkpoints store (no ':' in it).
    /// </summary>
    public static CustomSchedule Custom(string name, Func<long, long, long, double> factor, Func<long, long, long, double?>? momentum = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factor);
        if (name.Contains(':')) throw new ArgumentException($"A custom schedule's name is stored in checkpoints after a ':'; '{name}' contains one.", nameof(name));
        return new CustomSchedule(name, factor, momentum);
    }

    /// <summary>Cosine from <paramref name="start"/> (p=0) to <paramref name="end"/> (p=1).</summary>
    internal static double Cos(double start, double end, double p) => end + (start - end) / 2 * (1 + Math.Cos(Math.PI * Math.Clamp(p, 0, 1)));

    internal static LrSchedule Deserialize(string s)
    {
        var parts = s.Split(':');
        double A(int i) => double.Parse(parts[i], CultureInfo.InvariantCulture);
        return parts[0] switch
        {
            "constant" => Constant,
            "onecycle" => new OneCycleSchedule(A(1), A(2), A(3), A(4), A(5)),
            "cosine" => new CosineWarmupSchedule(A(1), A(2)),
            "step" => new StepSchedule((int)A(1), A(2)),
            "custom" => new CustomSchedule(s.Substring("custom:".Length), null, null), // its code comes back through Resume(path, schedule)
            _ => throw new InvalidDataException($"Unknown learning-rate schedule '{s}' in checkpoint."),
        };
    }

    internal static string F(double d) => d.ToString("R", CultureInfo.InvariantCulture);
}

internal sealed record ConstantSchedule : LrSchedule
{
    public override double Factor(long step, long totalSteps, long stepsPerEpoch) => 1.0;
    internal override string Serialize() => "constant";
}

// MaxMomentum: at the start and end (NaN when momentum is not cycled); MinMomentum: at the peak rate.
internal sealed record OneCycleSchedule(double PctStart, double Div, double FinalDiv, double MaxMomentum, double MinMomentum) : LrSchedule
{
    public override double Factor(long step, long totalSteps, long stepsPerEpoch)
    {
        double pos = Pos(step, totalSteps);
        if (pos < PctStart) return Cos(1 / Div, 1, pos / PctStart);
        return Cos(1, 1 / FinalDiv, (pos - PctStart) / (1 - PctStart));
    }

    public override double? Momentum(long step, long totalSteps, long stepsPerEpoch)
    {
        if (double.IsNaN(MaxMomentum)) return null;
        double pos = Pos(step, totalSteps);
        return pos < PctStart ? Cos(MaxMomentum, MinMomentum, pos / PctStart) : Cos(MinMomentum, MaxMomentum, (pos - PctStart) / (1 - PctStart));
    }

    private static double Pos(long step, long totalSteps) => totalSteps <= 1 ? 0 : (double)step / (totalSteps - 1);

    internal override string Serialize() => $"onecycle:{F(PctStart)}:{F(Div)}:{F(FinalDiv)}:{F(MaxMomentum)}:{F(MinMomentum)}";
}

internal sealed record CosineWarmupSchedule(double WarmupFraction, double MinFactor) : LrSchedule
{
    public override double Factor(long step, long totalSteps, long stepsPerEpoch)
    {
        long warm = (long)Math.Round(WarmupFraction * totalSteps);
        // (step+1)/warm: the first step already gets a small non-zero rate instead of wasting a batch at lr=0.
        if (step < warm) return (step + 1.0) / warm;
        long decay = Math.Max(1, totalSteps - warm - 1);
        return Cos(1, MinFactor, (double)(step - warm) / decay);
    }

    internal override string Serialize() => $"cosine:{F(WarmupFraction)}:{F(MinFactor)}";
}

internal sealed record StepSchedule(int EveryEpochs, double Gamma) : LrSchedule
{
    public override double Factor(long step, long totalSteps, long stepsPerEpoch) =>
        Math.Pow(Gamma, step / Math.Max(1, EveryEpochs * stepsPerEpoch));

    internal override string Serialize() => $"step:{F(EveryEpochs)}:{F(Gamma)}";
}
