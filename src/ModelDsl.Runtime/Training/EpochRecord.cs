namespace ModelDsl.Training;

/// <summary>
/// One row of the epoch table. <see cref="ValidLoss"/> is NaN when there was no validation loader.
/// <see cref="Metrics"/> keeps the metrics' order (it is the column order).
/// </summary>
public sealed record EpochRecord(
    int Epoch,
    double TrainLoss,
    double ValidLoss,
    IReadOnlyList<KeyValuePair<string, double>> Metrics,
    double Seconds,
    double LearningRate)
{
    /// <summary>"epoch", "train_loss", "valid_loss", "time"/"seconds", "lr" or a metric name; NaN when unknown.</summary>
    public double Get(string name)
    {
        switch (name)
        {
            case "epoch": return Epoch;
            case "train_loss": return TrainLoss;
            case "valid_loss": return ValidLoss;
            case "time" or "seconds": return Seconds;
            case "lr": return LearningRate;
        }
        foreach (var (k, v) in Metrics)
            if (k == name) return v;
        throw new KeyNotFoundException($"No column '{name}' in the epoch record; available: epoch, train_loss, valid_loss, time, lr{string.Concat(Metrics.Select(m => ", " + m.Key))}.");
    }
}
