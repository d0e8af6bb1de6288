namespace ModelDsl.Reports;

/// <summary>One epoch of a training history for <see cref="Plots.LossCurves(IReadOnlyList{EpochLosses}, string, int, int)"/>; NaN = not measured.</summary>
public sealed record EpochLosses(int Epoch, double TrainLoss, double ValidLoss);
