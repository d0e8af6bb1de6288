using System.Diagnostics;
using ModelDsl.Augmentation;
using ModelDsl.Data;
using ModelDsl.Training;
using TorchSharp;
using TorchSharp.Modules;
using TensorDataset = ModelDsl.Data.TensorDataset;
using DataLoader = ModelDsl.Data.DataLoader;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Training;

/// <summary>
/// End-to-end CPU training: ModelDsl's Learner (Adam, constant lr) over a device-resident uint8
/// dataset of CIFAR-10's shape (random pixels and labels) with on-device batched augmentation
/// (random crop 32 pad 4, horizontal flip, normalize), images/s per epoch, median over the epochs after
/// a warm-up epoch. Both TorchSharp's optim.Adam and the fused flat-buffer Adam.
/// Defaults: CifarCnn 1,280 images batch 128 (about 100 img/s on this CPU); SmallNet 20,000 images batch 512 (this 2-core CPU);
/// DigitSegNet (samples/DigitSegmentation's U-Net) 512 random 1×64×64 canvases batch 32 with per-pixel labels, no augmentation.
/// Each line also gives the model's training FLOP/s (6 × the generated Layers table's multiply-adds per
/// image) and, with --peak-tflops P (the device's peak, e.g. 67 for an H100 SXM's FP32 or 495 for its dense
/// TF32), the MFU. --precision bf16/fp16 trains with <see cref="MixedPrecision"/> (always the fused optimizer, which holds
/// the float32 master weights); all runs fp32 (both optimizers), then bf16 and fp16. Compare with benchmarks/python/train_epoch.py.
/// <code>
///   quick train-epoch [--model cifar|small] [--n N] [--batch B] [--epochs E] [--threads T] [--device cpu|cuda] [--peak-tflops P]
///        [--optimizer both|torch|fused|fused-first] [--precision fp32|bf16|fp16|all]
///   quick train-epoch --profile [--channels-last]   time per phase: data+augment, forward+loss, backward, optimizer
/// </code>
/// </summary>
public sealed class TrainEpochBenchmark : IQuickBenchmark
{
    public string Name => "train-epoch";

    private static readonly double[] Mean = [0.4914, 0.4822, 0.4465], Std = [0.247, 0.243, 0.261];

    public void Run(string[] args, TextWriter output)
    {
        int threads = TrainingBench.Threads(args);
        var which = TrainingBench.Option(args, "--model");
        int epochs = int.Parse(TrainingBench.Option(args, "--epochs") ?? "3");
        var device = TrainingBench.Device(args);
        double? peak = TrainingBench.Option(args, "--peak-tflops") is { } p ? double.Parse(p, System.Globalization.CultureInfo.InvariantCulture) * 1e12 : null;
        output.WriteLine($"torch threads: {threads}, device {device.type}, TorchSharp 0.107 / libtorch {__version__}, epochs {epochs} (first is warm-up)");
        foreach (var (name, make, defN, defB, flops) in Models())
        {
            if (which is not null && !name.StartsWith(which, StringComparison.OrdinalIgnoreCase)) continue;
            int n = int.Parse(TrainingBench.Option(args, "--n") ?? defN.ToString());
            int batch = int.Parse(TrainingBench.Option(args, "--batch") ?? defB.ToString());
            if (args.Contains("--profile"))
            {
                if (device.type != DeviceType.CPU) throw new ArgumentException("--profile times phases with a stopwatch and is CPU-only (CUDA ops are asynchronous).");
                if (name == "DigitSegNet") { output.WriteLine("DigitSegNet: --profile covers the classification nets only."); continue; }
                Profile(name, make, n, batch, args.Contains("--channels-last"), output);
                continue;
            }
            var optimizers = (TrainingBench.Option(args, "--optimizer") ?? "both") switch
            {
                "torch" => new[] { false },
                "fused" => new[] { true },
                "fused-first" => new[] { true, false },
                _ => new[] { false, true },
            };
            var precisions = (TrainingBench.Option(args, "--precision") ?? "fp32") switch
            {
                "fp32" => new[] { MixedPrecision.None },
                "bf16" => new[] { MixedPrecision.BFloat16 },
                "fp16" => new[] { MixedPrecision.Float16 },
                "all" => new[] { MixedPrecision.None, MixedPrecision.BFloat16, MixedPrecision.Float16 },
                var other => throw new ArgumentException($"--precision must be fp32, bf16, fp16 or all (got {other})."),
            };
            foreach (var precision in precisions)
                // Mixed precision always steps with the fused optimizer (it holds the float32 masters).
                foreach (bool fused in precision == MixedPrecision.None ? optimizers : new[] { true })
                {
                    var ips = Epochs(make, n, batch, epochs, fused, device, precision);
                    double median = TrainingBench.Median(ips), achieved = median * flops;
                    var label = precision switch { MixedPrecision.BFloat16 => "bf16", MixedPrecision.Float16 => "fp16", _ => "fp32" };
                    output.WriteLine($"{name,-9} n={n} batch={batch} {label} Adam{(fused ? " fused" : "      ")}: median {median,8:F0} img/s, {achieved / 1e9,7:F1} GFLOP/s" +
                        (peak is { } pk ? $", MFU {100 * achieved / pk:F2}%" : "") +
                        $"  (epochs: {string.Join(", ", ips.Select(x => x.ToString("F0")))})");
                }
        }
    }

    private static IEnumerable<(string, Func<nn.Module<Tensor, Tensor>>, int, int, double)> Models() =>
    [
        ("CifarCnn", () => new ModelDsl.Samples.CifarCnn(), 1_280, 128, TrainingBench.TrainingFlopsPerImage(ModelDsl.Samples.CifarCnn.Layers)),
        ("SmallNet", () => new SmallNet(), 20_000, 512, TrainingBench.TrainingFlopsPerImage(SmallNet.Layers)),
        // Any size: its Layers table is at no fixed size, so its FLOPs are not counted (0).
        ("DigitSegNet", () => new DigitSegmentation.DigitSegNet(), 512, 32, 0),
    ];

    /// <summary>DigitSegNet's data: random 1×64×64 canvases with per-pixel labels of 11 classes, batches cut in order on the device.</summary>
    private sealed class SegmentationBatches(int n, int batch, Device device) : IEnumerable<Batch>, IDisposable
    {
        private readonly Tensor _images = rand([n, 1, 64, 64], generator: new Generator(7)).to(device);
        private readonly Tensor _masks = randint(0, 11, [n, 64, 64], generator: new Generator(8)).to(device);

        public IEnumerator<Batch> GetEnumerator()
        {
            for (long i = 0; i < n; i += batch)
            {
                long len = Math.Min(batch, n - i);
                yield return new Batch(_images.narrow(0, i, len), _masks.narrow(0, i, len));
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        public int Count => (n + batch - 1) / batch;
        public void Dispose() { _images.Dispose(); _masks.Dispose(); }
    }

    /// <summary>Random pixels and labels on the CPU; the loader (deviceResident) moves them to the training device once.</summary>
    private static TensorDataset Data(int n)
    {
        var g = new Generator(7);
        return new TensorDataset(randint(0, 256, [n, 3, 32, 32], ScalarType.Byte, generator: g), randint(0, 10, [n], generator: g));
    }

    private static IAugmentation Augmentation() =>
        new Compose(new RandomCrop(32, padding: 4, seed: 1), new RandomHorizontalFlip(seed: 2), new Normalize(Mean, Std));

    private static List<double> Epochs(Func<nn.Module<Tensor, Tensor>> make, int n, int batch, int epochs, bool fused, Device device, MixedPrecision precision)
    {
        manual_seed(1);
        using var model = make();
        bool dense = model is DigitSegmentation.DigitSegNet;
        using var data = dense ? null : Data(n);
        using var segmentation = dense ? new SegmentationBatches(n, batch, device) : null;
        using var loader = dense ? null : new DataLoader(data!, batch, shuffle: true, seed: 3, device: device, deviceResident: true, augmentation: Augmentation());
        using var learner = new Learner(model, (IEnumerable<Batch>?)segmentation ?? loader!, null, new LearnerOptions
        {
            Optimizer = OptimizerSpec.Adam(fused: fused),
            Device = device,
            Output = OutputMode.Silent,
            GuardAgainstNaN = false,
            MixedPrecision = precision,
        });
        learner.Fit(epochs, 1e-3);
        return learner.History.Skip(1).Select(r => n / r.Seconds).ToList();
    }

    /// <summary>A hand-rolled copy of the Learner's step with a stopwatch per phase (CPU ops are synchronous).</summary>
    private static void Profile(string name, Func<nn.Module<Tensor, Tensor>> make, int n, int batch, bool channelsLast, TextWriter output)
    {
        manual_seed(1);
        using var data = Data(n);
        using var loader = new DataLoader(data, batch, shuffle: true, seed: 3, device: CPU, deviceResident: true, augmentation: Augmentation());
        foreach (bool fused in new[] { false, true })
        {
            using var model = make();
            if (channelsLast) ToChannelsLast(model);
            var groups = model.named_children().Select(c => (IReadOnlyList<Parameter>)c.module.parameters().ToList()).Where(g => g.Count > 0).ToList();
            using var opt = OptimizerStepBenchmark.Build("Adam", groups, fused);
            model.train();
            var t = new double[4];
            long images = 0;
            for (int epoch = 0; epoch < 2; epoch++)
            {
                var sw = Stopwatch.StartNew();
                using var e = loader.GetEnumerator();
                while (true)
                {
                    sw.Restart();
                    if (!e.MoveNext()) break;
                    using var b = e.Current;
                    using var scope = NewDisposeScope();
                    var x = channelsLast ? b.Inputs.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : b.Inputs;
                    double d0 = sw.Elapsed.TotalMilliseconds;
                    var loss = nn.functional.cross_entropy(model.forward(x), b.Targets);
                    _ = loss.ToDouble();
                    double d1 = sw.Elapsed.TotalMilliseconds;
                    opt.zero_grad();
                    loss.backward();
                    double d2 = sw.Elapsed.TotalMilliseconds;
                    opt.step();
                    double d3 = sw.Elapsed.TotalMilliseconds;
                    if (epoch == 0) continue; // warm-up
                    t[0] += d0; t[1] += d1 - d0; t[2] += d2 - d1; t[3] += d3 - d2;
                    images += b.Size;
                }
            }
            double total = t.Sum();
            output.WriteLine($"{name} batch {batch}{(channelsLast ? " channels-last" : "")} Adam{(fused ? " fused" : "")}: {images / (total / 1000),6:F0} img/s; per batch ms: " +
                $"data+augment {t[0] * batch / images:F2}, forward+loss {t[1] * batch / images:F2}, backward {t[2] * batch / images:F2}, optimizer {t[3] * batch / images:F2} " +
                $"({string.Join(" / ", t.Select(v => (100 * v / total).ToString("F0") + "%"))})");
        }
    }

    /// <summary>
    /// TorchSharp 0.107 has no memory_format argument on contiguous/to; a channels-last (NHWC-strided)
    /// tensor is still made by permute → contiguous → permute back, which libtorch's convolutions detect.
    /// </summary>
    private static void ToChannelsLast(nn.Module model)
    {
        using var noGrad = no_grad();
        foreach (var p in model.parameters())
            if (p.dim() == 4)
                using (var cl = p.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2))
                    p.set_(cl);
    }
}
