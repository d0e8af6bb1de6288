namespace ModelDsl.Training;

/// <summary>Whether a monitored quantity improves by going down (losses) or up (accuracy, F1...).</summary>
public enum MonitorMode
{
    /// <summary>Min for names containing "loss" or "error", max otherwise.</summary>
    Auto,
    Min,
    Max,
}

/// <summary>Shared "has it improved?" logic for EarlyStopping and SaveBest, so both agree.</summary>
internal sealed class Monitor
{
    private readonly bool _lowerIsBetter;
    private readonly double _minDelta;

    public Monitor(string name, MonitorMode mode, double minDelta)
    {
        Name = name;
        _minDelta = Math.Abs(minDelta);
        _lowerIsBetter = mode switch
        {
            MonitorMode.Min => true,
            MonitorMode.Max => false,
            _ => name.Contains("loss", StringComparison.OrdinalIgnoreCase) || name.Contains("error", StringComparison.OrdinalIgnoreCase),
        };
        Best = _lowerIsBetter ? double.PositiveInfinity : double.NegativeInfinity;
    }

    public string Name { get; }

    /// <summary>Fails at fit start, not after the first epoch, when the name is not a column of this learner.</summary>
    public static void Validate(string name, Learner learner, string owner)
    {
        var known = new[] { "train_loss", "valid_loss" }.Concat(learner.Metrics.Select(m => m.Name)).ToList();
        if (!known.Contains(name))
            throw new ArgumentException($"{owner} monitors '{name}', which is not a column of this learner; available: {string.Join(", ", known)}.");
        if (name != "train_loss" && learner.Valid is null)
            throw new ArgumentException($"{owner} monitors '{name}', which needs a validation loader.");
    }
    public double Best { get; private set; }

    /// <summary>Reads the value from the record and returns true (and remembers it) when it beats the best so far.</summary>
    public bool Improved(EpochRecord record, out double value)
    {
        value = record.Get(Name);
        if (double.IsNaN(value)) return false;
        bool better = _lowerIsBetter ? value < Best - _minDelta : value > Best + _minDelta;
        if (better) Best = value;
        return better;
    }
}
