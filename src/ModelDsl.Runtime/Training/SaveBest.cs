namespace ModelDsl.Training;

/// <summary>
/// Writes a full checkpoint to <see cref="Path"/> whenever <c>monitor</c> improves, so the best
/// model survives a later divergence or over-fitting. Load it with <see cref="Learner.Load"/>.
/// </summary>
public sealed class SaveBest(string path, string monitor = "valid_loss", MonitorMode mode = MonitorMode.Auto) : ILearnerCallback
{
    private Monitor _monitor = new(monitor, mode, 0);

    public string Path => path;
    public double Best => _monitor.Best;
    public int? BestEpoch { get; private set; }

    public void OnFitStart(Learner learner)
    {
        Training.Monitor.Validate(monitor, learner, nameof(SaveBest));
        // A resumed fit keeps its best so far; a fresh fit starts over.
        if (learner.History.Count == 0) { _monitor = new Monitor(monitor, mode, 0); BestEpoch = null; }
    }

    public void OnEpochEnd(Learner learner, EpochRecord record)
    {
        if (!_monitor.Improved(record, out _)) return;
        BestEpoch = record.Epoch;
        learner.SaveCheckpoint(path);
    }
}
