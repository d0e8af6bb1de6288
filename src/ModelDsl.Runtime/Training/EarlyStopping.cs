namespace ModelDsl.Training;

/// <summary>
/// Stops training when <see cref="Monitor"/> ("valid_loss", "train_loss" or a metric name) has not
/// improved by more than <c>minDelta</c> for <c>patience</c> epochs. The epoch in progress always
/// finishes, so the history and the table stay complete.
/// </summary>
public sealed class EarlyStopping(string monitor = "valid_loss", int patience = 3, double minDelta = 0, MonitorMode mode = MonitorMode.Auto) : ILearnerCallback
{
    private Monitor _monitor = new(monitor, mode, minDelta);
    private int _wait;

    public string Monitor => monitor;
    public int Patience => patience;

    public void OnFitStart(Learner learner)
    {
        Training.Monitor.Validate(monitor, learner, nameof(EarlyStopping));
        _monitor = new Monitor(monitor, mode, minDelta);
        _wait = 0;
    }

    public void OnEpochEnd(Learner learner, EpochRecord record)
    {
        if (_monitor.Improved(record, out _)) { _wait = 0; return; }
        if (++_wait >= patience)
            learner.Stop($"Early stopping at epoch {record.Epoch}: {monitor} has not improved for {patience} epoch(s) (best {_monitor.Best:0.######}).");
    }
}
