namespace ModelDsl.Interop;

/// <summary>
/// Thrown when a file cannot be read (or written) as PyTorch weights: not torch.save's zip format nor
/// safetensors, truncated, a whole pickled model instead of a state_dict, a training checkpoint dict, or a
/// dtype the format lacks. The message names the file and says what is wrong. An <see cref="IOException"/>:
/// like a missing file, it is a problem with the file, not with the model.
/// </summary>
public sealed class PyTorchWeightsFormatException(string path, string problem, Exception? inner = null)
    : IOException($"PyTorch weights file '{path}' cannot be read: {problem}", inner)
{
    /// <summary>The file that was read.</summary>
    public string Path { get; } = path;

    /// <summary>What is wrong with it, without the file name.</summary>
    public string Problem { get; } = problem;
}
