using System.Diagnostics;
using ModelDsl.Augmentation;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Data;

/// <summary>
/// The CIFAR training pipeline (random crop 32 with padding 4, horizontal flip, affine ±15° / translate
/// 0.1 / scale 0.9–1.1, color jitter 0.4/0.4/0.4/0.1, normalize) on one batch 128×3×32×32, ms per batch
/// (median of 30 after 5 warm-ups), each op alone and composed. Compare with
/// benchmarks/python/data_pipeline.py (torchvision per image).
/// </summary>
public sealed class AugmentationBenchmark : IQuickBenchmark
{
    public string Name => "data-augment";

    public void Run(string[] args, TextWriter output)
    {
        var device = cuda.is_available() && !args.Contains("--cpu") ? CUDA : CPU;
        int threads = int.Parse(BenchImages.Arg(args, "--threads", "0"));
        if (threads > 0) set_num_threads(threads);
        using var x = rand([128, 3, 32, 32], generator: new Generator(1)).to(device);
        output.WriteLine($"device: {device}, torch threads: {get_num_threads()}, batch [128, 3, 32, 32]");
        var ops = new (string, IAugmentation)[]
        {
            ("RandomCrop(32, pad 4)", new RandomCrop(32, padding: 4, seed: 1)),
            ("RandomHorizontalFlip", new RandomHorizontalFlip(seed: 2)),
            ("RandomAffine(15, 0.1, 0.9-1.1)", new RandomAffine(15, (0.1, 0.1), (0.9, 1.1), seed: 3)),
            ("ColorJitter(.4,.4,.4,.1)", new ColorJitter(0.4, 0.4, 0.4, 0.1, seed: 4)),
            ("Normalize", new Normalize([0.4914, 0.4822, 0.4465], [0.247, 0.243, 0.261])),
            ("RandomResizedCrop(32)", new RandomResizedCrop(32, 32, seed: 5)),
            ("RandomErasing", new RandomErasing(seed: 6)),
            ("ColorJitter brightness+contrast+saturation", new ColorJitter(0.4, 0.4, 0.4, 0, seed: 7)),
            ("ColorJitter hue only", new ColorJitter(0, 0, 0, 0.1, seed: 8)),
        };
        var pipeline = new Compose(ops.Take(5).Select(o => o.Item2).ToArray());
        foreach (var (name, aug) in ops.Append(("pipeline (first 5 composed)", pipeline)))
        {
            for (int i = 0; i < 5; i++) aug.Apply(x).Dispose();
            var times = new List<double>();
            var cpu = new List<double>();
            var proc = System.Diagnostics.Process.GetCurrentProcess();
            for (int i = 0; i < 30; i++)
            {
                proc.Refresh();
                var c0 = proc.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                using (var y = aug.Apply(x)) if (device.type == DeviceType.CUDA) cuda.synchronize();
                times.Add(sw.Elapsed.TotalMilliseconds);
                proc.Refresh();
                cpu.Add((proc.TotalProcessorTime - c0).TotalMilliseconds);
            }
            // CPU time is reported next to wall time because the benchmark machine is shared: wall time
            // includes waiting for a core, CPU time (whole process) does not.
            // Min is given too: on a shared machine interference only ever adds time.
            output.WriteLine($"{name,-44} {BenchImages.Median(times),8:F3} ms/batch wall (min {times.Min(),7:F3}), {BenchImages.Median(cpu),8:F3} ms CPU");
        }
    }
}
