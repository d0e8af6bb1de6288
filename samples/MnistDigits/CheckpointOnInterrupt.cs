using ModelDsl.Training;

namespace MnistDigits;

/// <summary>
/// Ctrl+C for the job: once <paramref name="interrupt"/> is cancelled, the next batch end (or epoch
/// end) writes a resumable checkpoint to <paramref name="path"/> and stops the fit at once. The
/// checkpoint then holds the position in the epoch, so <c>--resume</c> continues with the next batch.
/// </summary>
public sealed class CheckpointOnInterrupt(string path, CancellationToken interrupt) : ILearnerCallback
{
    /// <summary>Whether the fit was stopped by the interrupt (and the checkpoint written).</summary>
    public bool Interrupted { get; private set; }

    public void OnBatchEnd(Learner learner, BatchInfo batch) => StopIfAsked(learner);

    public void OnEpochEnd(Learner learner, EpochRecord record) => StopIfAsked(learner);

    private void StopIfAsked(Learner learner)
    {
        if (Interrupted || !interrupt.IsCancellationRequested) return;
        learner.SaveCheckpoint(path);
        Interrupted = true;
        // The Learner prints a stop reason on its writer: this is the interrupt's one line.
        learner.Stop($"interrupted: checkpoint written to {path}; run again with --resume to continue.", immediately: true);
    }
}
