using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Training;

/// <summary>Command-line helpers shared by the training benchmarks.</summary>
internal static class TrainingBench
{
    /// <summary>Sets torch's intra-op threads from --threads N (default 2, the container's cores) and returns it.</summary>
    public static int Threads(string[] args)
    {
        int i = Array.IndexOf(args, "--threads");
        int n = i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : 2;
        set_num_threads(n);
        return n;
    }

    public static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>--device cpu|cuda (default cpu); cuda needs a CUDA libtorch (TorchSharp-cuda-linux or the GPU machine's).</summary>
    public static Device Device(string[] args) =>
        (Option(args, "--device") ?? "cpu").ToLowerInvariant() switch
        {
            "cpu" => CPU,
            "cuda" when cuda.is_available() => CUDA,
            "cuda" => throw new InvalidOperationException("--device cuda: TorchSharp finds no CUDA device (is a CUDA libtorch loaded?)."),
            var d => throw new ArgumentException($"--device {d}: use cpu or cuda."),
        };

    /// <summary>
    /// Training FLOPs per image from a generated model's Layers table: 2 FLOPs per multiply-add forward
    /// and twice that backward (input and weight gradients), the usual 6 × MACs; element-wise layers are ignored.
    /// </summary>
    public static double TrainingFlopsPerImage(IEnumerable<LayerInfo> layers) => 6.0 * layers.Sum(l => l.MultiplyAdds);

    public static double Median(List<double> v)
    {
        var s = v.OrderBy(x => x).ToList();
        return s.Count == 0 ? double.NaN : s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }
}
