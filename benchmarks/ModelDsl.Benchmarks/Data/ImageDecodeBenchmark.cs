using System.Diagnostics;
using ModelDsl.Data;
using SkiaSharp;

namespace ModelDsl.Benchmarks.Data;

/// <summary>SkiaSharp vs StbImageSharp: single-threaded decode of 2,000 32×32 PNGs and JPEGs to RGB (images/s, median of 5).</summary>
public sealed class ImageDecodeBenchmark : IQuickBenchmark
{
    public string Name => "data-decode";

    public void Run(string[] args, TextWriter output)
    {
        foreach (var format in new[] { SKEncodedImageFormat.Png, SKEncodedImageFormat.Jpeg })
        {
            string ext = format == SKEncodedImageFormat.Png ? "png" : "jpg";
            var dir = BenchImages.Ensure(BenchImages.DefaultDir(ext), 2000, format);
            var paths = Directory.GetFiles(dir, "*." + ext, SearchOption.AllDirectories);
            var files = paths.Select(File.ReadAllBytes).ToArray();
            {
                // Reading the files alone (page cache warm), for comparison with the decode rates.
                var proc0 = Process.GetCurrentProcess();
                var readRates = new List<double>();
                var readCpu = new List<double>();
                for (int rep = 0; rep < 5; rep++)
                {
                    proc0.Refresh();
                    var c0 = proc0.TotalProcessorTime;
                    var sw = Stopwatch.StartNew();
                    foreach (var p in paths) File.ReadAllBytes(p);
                    readRates.Add(paths.Length / sw.Elapsed.TotalSeconds);
                    proc0.Refresh();
                    readCpu.Add(paths.Length / (proc0.TotalProcessorTime - c0).TotalSeconds);
                }
                output.WriteLine($"{ext.ToUpperInvariant(),-4} File.ReadAllBytes only {BenchImages.Median(readRates),9:F0} files/s wall, {BenchImages.Median(readCpu),9:F0} per CPU-second");
            }
            foreach (var decoder in new[] { ImageDecoders.Auto, ImageDecoders.Skia, ImageDecoders.Stb })
            {
                foreach (var f in files.Take(100)) decoder.Decode(f, 3);   // warm-up
                var rates = new List<double>();
                var cpuRates = new List<double>();
                var proc = Process.GetCurrentProcess();
                for (int rep = 0; rep < 5; rep++)
                {
                    proc.Refresh();
                    var c0 = proc.TotalProcessorTime;
                    var sw = Stopwatch.StartNew();
                    foreach (var f in files) decoder.Decode(f, 3);
                    rates.Add(files.Length / sw.Elapsed.TotalSeconds);
                    proc.Refresh();
                    cpuRates.Add(files.Length / (proc.TotalProcessorTime - c0).TotalSeconds);
                }
                output.WriteLine($"{ext.ToUpperInvariant(),-4} {decoder.Name,-14} {BenchImages.Median(rates),9:F0} images/s wall, {BenchImages.Median(cpuRates),9:F0} per CPU-second (1 thread, {files.Length} × 32×32, median of 5)");
            }
        }
    }
}
