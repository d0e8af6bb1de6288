namespace ModelDsl.Training;

/// <summary>
/// Thrown when a checkpoint's tensors do not fit a model: <see cref="Mismatches"/> has one line per
/// parameter or buffer that is missing, unexpected or shaped differently, so the user sees at once
/// which layer changed instead of a bare libtorch "size mismatch".
/// </summary>
public sealed class CheckpointMismatchException(string message, IReadOnlyList<string> mismatches)
    : InvalidOperationException(message)
{
    public IReadOnlyList<string> Mismatches { get; } = mismatches;
}
