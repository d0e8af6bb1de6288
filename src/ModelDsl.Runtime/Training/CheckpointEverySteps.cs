namespace ModelDsl.Training;

/// <summary>
/// Writes a resumable checkpoint every <c>steps</c> optimizer steps, also in the middle of an epoch:
/// the checkpoint holds the position in the epoch (batches done, the running train loss) and every
/// random state, so <see cref="Learner.Resume"/> continues with exactly the batches, augmentations
/// and dropout masks the uninterrupted run would have used. Saves are atomic, like every checkpoint.
/// </summary>
public sealed class CheckpointEverySteps : ILearnerCallback
{
    public CheckpointEverySteps(string path, int steps)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Checkpoint every 1 or more steps.");
        Path = path;
        Steps = steps;
    }

    public string Path { get; }
    public int Steps { get; }

    public void OnBatchEnd(Learner learner, BatchInfo batch)
    {
        // batch.Step counts the steps before this one, so this is step batch.Step + 1.
        if ((batch.Step + 1) % Steps == 0) learner.SaveCheckpoint(Path);
    }
}
