using System.Diagnostics;
using static TorchSharp.torch;

namespace ModelDsl.Platform;

/// <summary>
/// The known-answer check run when ModelDsl first touches libtorch: a few small float32 convolutions of the
/// family libtorch 2.10's oneDNN gets wrong on AVX-512 CPUs (input gradients at channel counts that are not a
/// multiple of 16, a stride-1 transposed convolution, a strided and a depthwise one), forward and backward,
/// each measured against its float64 twin with <see cref="Float64Reference"/>'s derived bound. Measured (2-core EPYC,
/// benchmarks quick cpu-check) about 20 ms on a process's first use — 11 of them libtorch's first autograd convolution,
/// which the first model would pay anyway — and 5–6 ms when run again. One sample per case: the fault is per channel, and
/// a batch of 2 cost 0.3 s on first use.
/// </summary>
internal static class ConvolutionCheck
{
    /// <summary>One case: its name for messages, and how to build the op and its inputs.</summary>
    /// <param name="Name">The case in words, for messages ("conv2d 8→8 channels").</param>
    /// <param name="Op">The operation under test, given its inputs (float32 or float64).</param>
    /// <param name="Inputs">Draws the case's inputs (float32) from a generator.</param>
    /// <param name="Terms">An upper bound on the products summed into one element of the output or a gradient.</param>
    public sealed record Case(string Name, Func<Tensor[], Tensor> Op, Func<Generator, Tensor[]> Inputs, long Terms);

    /// <summary>What the check found: each case's comparison, and the time it took.</summary>
    public sealed record Result(IReadOnlyList<(Case Case, Float64Reference.Comparison Comparison)> Cases, TimeSpan Elapsed)
    {
        public bool Passed => Cases.All(c => c.Comparison.Passed);

        /// <summary>The worst failing case in words ("conv2d 8→8 3×3 input gradient: NaN"), or null when all passed.</summary>
        public string? Worst => Cases.Where(c => !c.Comparison.Passed).OrderByDescending(c => c.Comparison.WorstRatio)
            .Select(c => $"{c.Case.Name}, {c.Comparison.Where}: " +
                         (double.IsFinite(c.Comparison.RelativeError) ? $"off by {c.Comparison.RelativeError:P0} of its largest value" : "NaN or ±∞"))
            .FirstOrDefault();
    }

    /// <summary>The cases (N = 1, 16×16 maps, 3×3 kernels, padding 1).</summary>
    public static IReadOnlyList<Case> Cases { get; } =
    [
        Conv("conv2d 8→8 channels", cin: 8, cout: 8, stride: 1, groups: 1),
        Conv("conv2d 24→24 channels", cin: 24, cout: 24, stride: 1, groups: 1),
        Conv("conv2d 8→16 channels stride 2", cin: 8, cout: 16, stride: 2, groups: 1),
        Conv("depthwise conv2d 8 channels", cin: 8, cout: 8, stride: 1, groups: 8),
        Transposed("conv_transpose2d 8→8 channels", cin: 8, cout: 8, stride: 1),
        Transposed("conv_transpose2d 24→8 channels stride 2", cin: 24, cout: 8, stride: 2),
    ];

    private const int Batch = 1, Size = 16, Kernel = 3;

    private static Case Conv(string name, int cin, int cout, int stride, int groups)
    {
        int outSize = (Size + 2 - Kernel) / stride + 1;
        long terms = Math.Max(Math.Max(cin / groups, cout / groups) * Kernel * Kernel, Batch * outSize * outSize);
        return new Case(name,
            t => nn.functional.conv2d(t[0], t[1], null, [stride, stride], [1, 1], groups: groups),
            g => [randn([Batch, cin, Size, Size], generator: g), randn([cout, cin / groups, Kernel, Kernel], generator: g) * 0.1],
            terms);
    }

    private static Case Transposed(string name, int cin, int cout, int stride)
    {
        int outSize = (Size - 1) * stride - 2 + Kernel;
        long terms = Math.Max(Math.Max(cin, cout) * Kernel * Kernel, Batch * Math.Max(outSize, Size) * Math.Max(outSize, Size));
        return new Case(name,
            t => nn.functional.conv_transpose2d(t[0], t[1], null, [stride, stride], [1, 1]),
            g => [randn([Batch, cin, Size, Size], generator: g), randn([cin, cout, Kernel, Kernel], generator: g) * 0.1],
            terms);
    }

    /// <summary>Runs every case on the CPU; <paramref name="corrupt"/>, for tests, stands in for a faulty kernel.</summary>
    public static Result Run(Func<Tensor, Tensor>? corrupt = null)
    {
        var clock = Stopwatch.StartNew();
        var results = new List<(Case, Float64Reference.Comparison)>();
        using var scope = NewDisposeScope();
        using var enableGrad = enable_grad();
        var generator = new Generator(20_26);
        int i = 0;
        foreach (var c in Cases)
        {
            var inputs = c.Inputs(generator);
            Func<Tensor[], Tensor> op = corrupt is null ? c.Op : t => t[0].dtype == ScalarType.Float32 ? corrupt(c.Op(t)) : c.Op(t);
            results.Add((c, Float64Reference.Compare(op, inputs, c.Terms, seed: ++i)));
        }
        return new Result(results, clock.Elapsed);
    }
}
