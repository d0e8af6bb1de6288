using ModelDsl.Augmentation;
using ModelDsl.Data;

namespace ModelDsl.Training;

/// <summary>Saving, loading and resuming.</summary>
public sealed partial class Learner
{
    /// <summary>
    /// Writes a full, resumable checkpoint: weights and buffers, optimizer state, CPU RNG state, the
    /// loaders' random state (<see cref="IRandomState"/>: shuffle epoch, augmentation generators),
    /// history, frozen stages, stage rates and — when called during a fit (from a callback) — the fit
    /// plan, step and, from <see cref="ILearnerCallback.OnBatchEnd"/>, the position in the epoch, so
    /// <see cref="Resume"/> can finish that fit exactly.
    /// </summary>
    public void SaveCheckpoint(string path) =>
        Checkpoint.Save(path, Module, Optimizer, new CheckpointState(
            Epoch: History.Count,
            Step: _plan is null ? 0 : _step,
            Seed: Options.Seed,
            Fit: _plan,
            HistoryJson: History.ToJson(indented: false),
            FrozenStages: _stages.Frozen.ToList(),
            StageLearningRates: new Dictionary<string, double>(_stages.BaseRates),
            Position: _plan is null ? null : _position,
            TrainLoaderState: (Train as IRandomState)?.SaveRandomState(),
            ValidLoaderState: (Valid as IRandomState)?.SaveRandomState(),
            LossScale: LossScaler is { } s ? new LossScaleState(s.Scale, s.GrowthTracker, s.SkippedSteps) : null,
            Notes: CheckpointNotes.Count == 0 ? null : new Dictionary<string, string>(CheckpointNotes, StringComparer.Ordinal)));

    /// <summary>
    /// The application's own key/value notes, written into every checkpoint this learner saves (<see cref="CheckpointState.Notes"/>):
    /// e.g. the command line a run started with, so a resumed run can check that it continues the same run.
    /// </summary>
    public IDictionary<string, string> CheckpointNotes { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Loads a checkpoint's weights (and, with <paramref name="withOptimizer"/>, its optimizer state)
    /// into this learner's model, e.g. the best model after training or for inference. A checkpoint
    /// of a different architecture throws <see cref="CheckpointMismatchException"/> listing the differences.
    /// </summary>
    public Checkpoint Load(string path, bool withOptimizer = false)
    {
        var ck = Checkpoint.Load(path);
        LoadWeights(ck);
        if (withOptimizer && ck.HasOptimizerState) ck.LoadInto(Optimizer);
        return ck;
    }

    /// <summary>The checkpoint's weights into the model, and from there into a mixed-precision run's float32 masters.</summary>
    private void LoadWeights(Checkpoint ck)
    {
        ck.LoadInto(Module);
        (Optimizer as FusedOptimizer)?.SyncMastersFromParameters();
    }

    /// <summary>
    /// Restores everything from a checkpoint written during a fit (by <see cref="CheckpointEveryEpoch"/>,
    /// <see cref="SaveBest"/> or <see cref="SaveCheckpoint"/>) and runs the remaining epochs of that fit
    /// with the same schedule. Build this learner with the same model type, options and loaders as the
    /// original; on CPU the losses then equal an uninterrupted run's bit for bit. <see cref="History"/>
    /// is replaced by the checkpoint's (a new object) and then grows with the resumed epochs.
    /// </summary>
    public History Resume(string path) => Resume(path, null);

    /// <summary>
    /// <see cref="Resume(string)"/> for a fit whose schedule is a <see cref="CustomSchedule"/>: a checkpoint stores its name, not its
    /// code, so the same schedule comes in again as <paramref name="schedule"/> (its name must match; a built-in schedule needs none).
    /// </summary>
    public History Resume(string path, LrSchedule? schedule)
    {
        var ck = Checkpoint.Load(path);
        var s = ck.State;
        var history = s.HistoryJson is null ? new History() : History.FromJson(s.HistoryJson);
        bool fitLeft = s.Fit is { } left && history.Count < left.FirstEpoch + left.Epochs;
        if (schedule is not null && s.Fit is { Schedule: not CustomSchedule } builtIn)
            throw new ArgumentException($"'{path}' was saved during a fit with the built-in schedule {builtIn.Schedule.GetType().Name}, which the checkpoint holds; a schedule passed to Resume is for a custom one.", nameof(schedule));
        if (fitLeft && s.Fit is { Schedule: CustomSchedule { IsDefined: false } savedSchedule } fit)
        {
            if (schedule is not CustomSchedule given || given.Name != savedSchedule.Name)
                throw new ArgumentException($"'{path}' was saved during a fit with the custom schedule '{savedSchedule.Name}'; pass that schedule: Resume(path, LrSchedule.Custom(\"{savedSchedule.Name}\", …))"
                    + (schedule is null ? "." : $", not {(schedule is CustomSchedule other ? $"the custom schedule '{other.Name}'" : schedule.GetType().Name)}."), nameof(schedule));
            s = s with { Fit = fit with { Schedule = given } };
        }
        LoadWeights(ck);
        if (ck.HasOptimizerState) ck.LoadInto(Optimizer);
        ck.RestoreRng();
        if (LossScaler is { } scaler && s.LossScale is { } saved) scaler.Restore(saved.Scale, saved.GrowthTracker, saved.SkippedSteps);
        RestoreLoaderState(Train, s.TrainLoaderState, "training");
        if (Valid is not null) RestoreLoaderState(Valid, s.ValidLoaderState, "validation");
        History = history;
        Unfreeze();
        if (s.FrozenStages is { Count: > 0 } frozen) Freeze(frozen.ToArray());
        _stages.ClearBaseRates();
        if (s.StageLearningRates is not null)
            foreach (var (k, v) in s.StageLearningRates) SetStageLearningRate(k, v);
        if (fitLeft) Run(s.Fit!, s.Step, s);
        return History;
    }

    /// <summary>
    /// Puts a loader's saved random state back. A checkpoint without one (an older file, or a loader
    /// without random state) leaves the loader as built; one that does not fit says which loader.
    /// </summary>
    private static void RestoreLoaderState(IEnumerable<Batch> loader, byte[]? state, string which)
    {
        if (state is null) return;
        if (loader is not IRandomState random)
            throw new InvalidOperationException($"The checkpoint holds the {which} loader's random state, but this {which} loader ({loader.GetType().Name}) has none: build the Learner with the same loaders as the original run.");
        try { random.LoadRandomState(state); }
        catch (InvalidDataException e)
        {
            throw new InvalidOperationException($"The {which} loader's random state in the checkpoint does not fit this loader: {e.Message} Build the Learner with the same loaders and augmentations as the original run.", e);
        }
    }
}
