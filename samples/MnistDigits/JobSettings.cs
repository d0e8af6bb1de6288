namespace MnistDigits;

/// <summary>The command line, parsed.</summary>
public sealed record JobSettings(string? Data, int Epochs, int BatchSize, double LearningRate, string Device, int Seed, string OutputDirectory, int Workers)
{
    /// <summary>A checkpoint to resume (<c>--resume [path]</c>); null trains from scratch.</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>Write the checkpoint every this many optimizer steps (<c>--checkpoint-every</c>); 0: after every epoch.</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>Where the job keeps its checkpoint, during training and after, and where <c>--resume</c> looks by default.</summary>
    public string CheckpointPath => Path.Combine(Path.GetFullPath(OutputDirectory), "checkpoint.bin");

    /// <summary>The first problem with the values, or null when they are usable.</summary>
    public string? Validate() =>
        Epochs < 1 ? $"--epochs must be at least 1 (got {Epochs})."
        : BatchSize < 1 ? $"--batch-size must be at least 1 (got {BatchSize})."
        : !(LearningRate > 0) ? $"--lr must be positive (got {LearningRate})."
        : Device is not ("auto" or "cpu" or "cuda") ? $"--device must be auto, cpu or cuda (got {Device})."
        : Workers < 0 ? $"--workers must be 0 or more (got {Workers})."
        : CheckpointEvery < 0 ? $"--checkpoint-every must be 0 (every epoch) or more steps (got {CheckpointEvery})."
        : Folder.Validate() ?? OutputProblem();

    /// <summary>
    /// Whether --out can take the outputs: the folder is created now and written to once, so that a bad --out fails
    /// before an epoch of work rather than after it.
    /// </summary>
    private string? OutputProblem()
    {
        string full = Path.GetFullPath(OutputDirectory);
        if (File.Exists(full)) return $"--out {OutputDirectory} is a file; give a folder for the outputs.";
        try
        {
            Directory.CreateDirectory(full);
            string probe = Path.Combine(full, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"--out {OutputDirectory}: cannot write there ({e.Message}).";
        }
    }

    /// <summary>
    /// The options the command line gave (<c>--epochs</c>, …); null when every value was stated (a program building settings).
    /// With <c>--resume</c>, an option not given takes the checkpoint's value (<see cref="RunRecord.Fill"/>).
    /// </summary>
    public IReadOnlySet<string>? GivenOptions { get; init; }

    /// <summary>Whether <paramref name="option"/> was given (always, for settings built without a command line).</summary>
    public bool Gave(string option) => GivenOptions?.Contains(option) ?? true;

    /// <summary>Overrides of the ImageFolder defaults (--channels, --size, --flip, --no-augment, --valid-pct).</summary>
    public FolderSettings Folder { get; init; } = new();
}
