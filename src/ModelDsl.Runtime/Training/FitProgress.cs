namespace ModelDsl.Training;

/// <summary>
/// The progress display and the history recorder of a fit, as fastai's ProgressCallback and Recorder: listeners on the
/// step's events that run before the options' callbacks, so an epoch's record is in <see cref="Learner.History"/> and its
/// table row printed before early stopping, checkpoints or a user's callback see it. The Learner adds them for the
/// length of a fit (a <see cref="Learner.Validate"/> outside one shows no progress).
/// </summary>
internal sealed class FitProgress(ProgressReporter reporter, FitPlan plan, IReadOnlyList<string> metricNames, IReadOnlyList<string> notes) : ILearnerCallback
{
    private int Last => plan.FirstEpoch + plan.Epochs - 1;

    public void OnFitStart(Learner learner)
    {
        reporter.FitStart(metricNames, printHeader: true);
        foreach (var note in notes) reporter.Message(note);
    }

    public void OnEpochStart(Learner learner, int epoch) => reporter.EpochStart(epoch, plan.FirstEpoch, Last, plan.StepsPerEpoch);

    public void AfterBatch(StepContext step) => reporter.BatchEnd(step.Batch, step.LossValue);

    public void BeforeValidate(Learner learner)
    {
        if (learner.Valid is { } valid) reporter.ValidationStart(LoaderProbe.Count(valid));
    }

    // The recorder first, then the row: callbacks that read History at OnEpochEnd find this epoch there.
    public void OnEpochEnd(Learner learner, EpochRecord record)
    {
        learner.History.Add(record);
        reporter.EpochEnd(record);
    }
}
