namespace ModelDsl.Training;

/// <summary>
/// Writes a resumable checkpoint after every epoch (atomically, so a crash mid-write leaves the
/// previous one intact). <see cref="Learner.Resume"/> on that file continues the interrupted fit.
/// </summary>
public sealed class CheckpointEveryEpoch(string path) : ILearnerCallback
{
    public string Path => path;

    public void OnEpochEnd(Learner learner, EpochRecord record) => learner.SaveCheckpoint(path);
}
