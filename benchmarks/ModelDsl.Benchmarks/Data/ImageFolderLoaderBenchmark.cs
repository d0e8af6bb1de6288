using System.Diagnostics;
using ModelDsl.Data;

namespace ModelDsl.Benchmarks.Data;

/// <summary>
/// One epoch over 2,000 32×32 PNGs in an ImageFolder: decode + batch (64, shuffled) with the DataLoader,
/// images/s, median of 5 epochs. Compare with benchmarks/python/data_pipeline.py (PyTorch DataLoader +
/// torchvision ImageFolder/PIL) on the same folder. Options: --workers N (default 2), --dir PATH.
/// </summary>
public sealed class ImageFolderLoaderBenchmark : IQuickBenchmark
{
    public string Name => "data-imagefolder";

    public void Run(string[] args, TextWriter output)
    {
        var dir = BenchImages.Ensure(BenchImages.Arg(args, "--dir", BenchImages.DefaultDir("png")));
        int workersArg = int.Parse(BenchImages.Arg(args, "--workers", "-1"));
        int threads = int.Parse(BenchImages.Arg(args, "--threads", "0"));
        if (threads > 0) TorchSharp.torch.set_num_threads(threads);
        output.WriteLine($"torch intra-op threads: {TorchSharp.torch.get_num_threads()}");
        output.WriteLine($"folder: {dir}");
        foreach (var decoder in new[] { ImageDecoders.Auto, ImageDecoders.Skia })
            foreach (int workers in workersArg >= 0 ? [workersArg] : new[] { 0, 2 })
            {
                var ds = new ImageFolderDataset(dir, new ImageFolderOptions { Channels = 3, Decoder = decoder });
                var loader = new DataLoader(ds, batchSize: 64, shuffle: true, seed: 1, workers: workers);
                foreach (var b in loader) b.Dispose();   // warm-up epoch (page cache, JIT)
                var rates = new List<double>();
                var cpuRates = new List<double>();
                var proc = Process.GetCurrentProcess();
                for (int epoch = 0; epoch < 5; epoch++)
                {
                    proc.Refresh();
                    var c0 = proc.TotalProcessorTime;
                    var sw = Stopwatch.StartNew();
                    long n = 0;
                    foreach (var b in loader) { n += b.Size; b.Dispose(); }
                    rates.Add(n / sw.Elapsed.TotalSeconds);
                    proc.Refresh();
                    cpuRates.Add(n / (proc.TotalProcessorTime - c0).TotalSeconds);
                }
                output.WriteLine($"DataLoader {decoder.Name} workers={workers}: {BenchImages.Median(rates),8:F0} images/s wall, " +
                                 $"{BenchImages.Median(cpuRates),8:F0} images per CPU-second (batch 64, {ds.Count} PNGs, median of 5 epochs)");
            }
    }
}
