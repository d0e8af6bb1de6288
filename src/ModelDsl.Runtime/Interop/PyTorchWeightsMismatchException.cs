namespace ModelDsl.Interop;

/// <summary>
/// Thrown by <see cref="PyTorchWeights.LoadFromPyTorch"/> when a PyTorch state_dict does not fit the model:
/// every missing, unexpected and mis-shaped tensor is named in the message and in the lists below, so one
/// run shows the whole name map's errors (PyTorch's <c>load_state_dict</c> lists them the same way). Nothing
/// is copied into the model when this is thrown.
/// </summary>
public sealed class PyTorchWeightsMismatchException(
    string path, string modelType,
    IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> misshaped, IReadOnlyList<string> mapProblems)
    : InvalidOperationException(Format(path, modelType, missing, unexpected, misshaped, mapProblems))
{
    /// <summary>The weights file.</summary>
    public string Path { get; } = path;

    /// <summary>Model tensors (the model's names) that no PyTorch tensor maps onto.</summary>
    public IReadOnlyList<string> Missing { get; } = missing;

    /// <summary>PyTorch tensors whose (mapped) name is not in the model: "pytorch name" or "pytorch name → model name".</summary>
    public IReadOnlyList<string> Unexpected { get; } = unexpected;

    /// <summary>Tensors present on both sides with different shapes: names and both shapes.</summary>
    public IReadOnlyList<string> Misshaped { get; } = misshaped;

    /// <summary>Name-map rules that could not be applied (a Sequential's layer count, two names onto one).</summary>
    public IReadOnlyList<string> MapProblems { get; } = mapProblems;

    private static string Format(string path, string modelType, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected,
                                 IReadOnlyList<string> misshaped, IReadOnlyList<string> mapProblems)
    {
        var nl = Environment.NewLine;
        var lines = new List<string>();
        void Section(string title, IReadOnlyList<string> items)
        {
            if (items.Count == 0) return;
            lines.Add($"{title} ({items.Count}):");
            lines.AddRange(items.Select(i => "    " + i));
        }
        Section("name map", mapProblems);
        Section("missing in the file (in the model, no PyTorch tensor maps onto it)", missing);
        Section("unexpected in the file (not in the model)", unexpected);
        Section("shape mismatch (PyTorch vs model)", misshaped);
        int count = missing.Count + unexpected.Count + misshaped.Count + mapProblems.Count;
        return $"PyTorch weights '{path}' do not fit model {modelType}: {count} difference(s):{nl}  " + string.Join(nl + "  ", lines);
    }
}
