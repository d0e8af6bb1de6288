namespace ModelDsl.Training;

/// <summary>
/// A user's own learning-rate schedule (<see cref="LrSchedule.Custom"/>): the factor of the base rate as a pure function of
/// the optimizer step, the fit's total steps and the steps per epoch — the form every built-in schedule has, so a resumed
/// run continues exactly. A checkpoint stores its name only (code cannot be stored): <see cref="Learner.Resume(string, LrSchedule?)"/>
/// takes the same schedule again and checks the name.
/// </summary>
public sealed record CustomSchedule : LrSchedule
{
    private readonly Func<long, long, long, double>? _factor;
    private readonly Func<long, long, long, double?>? _momentum;

    internal CustomSchedule(string name, Func<long, long, long, double>? factor, Func<long, long, long, double?>? momentum)
    {
        Name = name;
        _factor = factor;
        _momentum = momentum;
    }

    /// <summary>The name stored in checkpoints.</summary>
    public string Name { get; }

    /// <summary>False for the placeholder a checkpoint gives back: the schedule's name without its code.</summary>
    public bool IsDefined => _factor is not null;

    public override double Factor(long step, long totalSteps, long stepsPerEpoch)
    {
        if (_factor is null)
            throw new InvalidOperationException($"The checkpoint's learning-rate schedule is the custom schedule '{Name}', whose code a checkpoint cannot hold: pass it again, Resume(path, LrSchedule.Custom(\"{Name}\", …)).");
        double factor = _factor(step, totalSteps, stepsPerEpoch);
        return double.IsFinite(factor) && factor >= 0 ? factor
            : throw new InvalidOperationException($"The custom schedule '{Name}' gave the factor {factor} at step {step} of {totalSteps}: a factor is finite and ≥ 0.");
    }

    public override double? Momentum(long step, long totalSteps, long stepsPerEpoch) => _momentum?.Invoke(step, totalSteps, stepsPerEpoch);

    internal override string Serialize() => "custom:" + Name;
}
