namespace ModelDsl.Training;

/// <summary>
/// Thrown when a file cannot be read as a checkpoint: it is truncated, corrupted (its checksum does
/// not match its content), of an unknown format version, or not a ModelDsl checkpoint at all. The
/// message names the file and says what is wrong, with expected and actual length or checksum. An
/// <see cref="IOException"/>: like a missing file, it is a problem with the file, not with the code.
/// </summary>
public sealed class CheckpointFormatException(string path, string problem, Exception? inner = null)
    : IOException($"Checkpoint '{path}' cannot be read: {problem}", inner)
{
    /// <summary>The file that was read.</summary>
    public string Path { get; } = path;

    /// <summary>What is wrong with it, without the file name.</summary>
    public string Problem { get; } = problem;
}
