namespace ModelDsl.Data;

/// <summary>
/// Finds the data shipped in the repository (<c>data/mnist-10k</c>: 10,000 real MNIST digits as IDX,
/// 8,000 train + 2,000 test, with their licence) so that tests, samples and the main job run offline
/// on a fresh clone. Looked up rather than copied to every output folder: it is 2 MB, and one copy is enough.
/// </summary>
public static class BundledData
{
    /// <summary>Environment variable naming a data root (a folder containing <c>mnist-10k</c>) or the mnist-10k folder itself.</summary>
    public const string EnvironmentVariable = "MODELDSL_DATA";

    /// <summary>
    /// The mnist-10k folder: <c>$MODELDSL_DATA</c> (the folder or its parent) if set, otherwise the first
    /// <c>data/mnist-10k</c> found walking up from <see cref="AppContext.BaseDirectory"/> and then from the
    /// current directory.
    /// </summary>
    public static string MnistDirectory => Find("mnist-10k", "train-images-idx3-ubyte.gz");

    /// <summary>Loads the bundled MNIST subset (train: 8,000 digits, test: 2,000).</summary>
    public static MnistDataset LoadMnist(bool train = true) => MnistDataset.Load(MnistDirectory, train);

    internal static string Find(string name, string marker)
    {
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env))
        {
            foreach (var candidate in new[] { Path.Combine(env, name), env })
                if (Directory.Exists(candidate) && HasMarker(candidate, marker)) return Path.GetFullPath(candidate);
            throw new DirectoryNotFoundException($"{EnvironmentVariable}='{env}' contains no '{name}' folder (looked for {marker}).");
        }
        var searched = new List<string>();
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "data", name);
                if (Directory.Exists(candidate) && HasMarker(candidate, marker)) return candidate;
            }
            searched.Add(start);
        }
        throw new DirectoryNotFoundException(
            $"Bundled dataset 'data/{name}' not found above {string.Join(" or ", searched.Select(s => $"'{s}'"))}. " +
            $"Run from inside the ModelDsl repository, or set {EnvironmentVariable} to the folder that contains '{name}'.");
    }

    private static bool HasMarker(string dir, string marker) =>
        File.Exists(Path.Combine(dir, marker)) || File.Exists(Path.Combine(dir, Path.GetFileNameWithoutExtension(marker)));
}
