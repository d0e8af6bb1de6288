namespace ModelDsl.Interop;

/// <summary>
/// What <see cref="PyTorchWeights.LoadFromPyTorch"/> did: the model tensors it filled and, in a non-strict load,
/// what it left alone (PyTorch's <c>load_state_dict(strict=False)</c> returns the same two lists).
/// </summary>
/// <param name="Loaded">Model tensors (model names) copied from the file.</param>
/// <param name="Missing">Model tensors no PyTorch tensor mapped onto; they keep their values.</param>
/// <param name="Unexpected">PyTorch tensors whose name is not in the model; ignored.</param>
/// <param name="Skipped">PyTorch tensors left out by <see cref="PyTorchNameMap.Skip"/>.</param>
public sealed record PyTorchLoadResult(
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> Skipped);
