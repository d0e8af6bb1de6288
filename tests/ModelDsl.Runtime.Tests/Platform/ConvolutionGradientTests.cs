using ModelDsl.Platform;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Platform;

/// <summary>
/// Convolution, transposed convolution and pooling, forward and backward in float32, against float64 with an error
/// bound derived from the float64 computation (<see cref="Float64Reference"/>): over channel counts 1–33, strides 1
/// and 2, plain, grouped and depthwise, dilation 1 and 2. This is the family libtorch 2.10's oneDNN gets wrong on
/// some AVX-512 CPUs; the process runs as a ModelDsl user's does (the check and its fix applied first), and CI
/// runs this class again with oneDNN capped at AVX2 (.ci/run), the path an AVX2 machine takes.
/// </summary>
public class ConvolutionGradientTests
{
    public ConvolutionGradientTests() => CpuNumerics.EnsureChecked();

    public static TheoryData<int> ChannelCounts() => new(Enumerable.Range(1, 33));

    private const int Batch = 2;

    /// <summary>Groups to try for <paramref name="channels"/>: plain, depthwise, and one in between when there is one.</summary>
    private static IEnumerable<int> Groups(int channels)
    {
        yield return 1;
        if (channels > 1) yield return channels;
        int between = Enumerable.Range(2, Math.Max(0, channels - 3)).FirstOrDefault(g => channels % g == 0 && g < channels);
        if (between > 0) yield return between;
    }

    private static void AssertAllRight(List<string> failures, int cases) =>
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases broke the float64-derived bound (oneDNN: {LibTorchSwitches.MkldnnEnabled}):\n" + string.Join("\n", failures.Take(20)));

    /// <summary>One case of a convolution family: its words for the failure list, the op, its inputs and the bound on summed terms.</summary>
    private readonly record struct ConvCase(string Name, Func<Tensor[], Tensor> Op, Tensor[] Inputs, long Terms);

    /// <summary>Every stride (1, 2), groups (<see cref="Groups"/>) and dilation (1, 2) of a family with <paramref name="channels"/> input channels.</summary>
    private static void AssertEveryCase(int channels, ulong seed, Func<Generator, int, int, int, ConvCase> make)
    {
        var failures = new List<string>();
        int cases = 0;
        var g = new Generator(seed);
        foreach (int stride in new[] { 1, 2 })
        foreach (int groups in Groups(channels))
        foreach (int dilation in new[] { 1, 2 })
        {
            using var scope = NewDisposeScope();
            var k = make(g, stride, groups, dilation);
            var c = Float64Reference.Compare(k.Op, k.Inputs, k.Terms, seed: cases);
            cases++;
            if (!c.Passed) failures.Add($"{k.Name} stride {stride} groups {groups} dilation {dilation}: {c.Where} off by {c.RelativeError:G3} ({c.WorstRatio:G3}× the bound)");
        }
        AssertAllRight(failures, cases);
    }

    [Theory, MemberData(nameof(ChannelCounts))]
    public void Conv2d_forward_and_both_gradients_match_float64(int channels) =>
        AssertEveryCase(channels, (ulong)channels, (g, stride, groups, dilation) =>
        {
            // Output channels: the input's, and one that is not a multiple of 16 nor of the input's (the faulting family).
            int cout = groups == 1 ? channels + 5 : channels;
            var x = randn([Batch, channels, 13, 13], generator: g);
            var w = randn([cout, channels / groups, 3, 3], generator: g) * 0.2;
            int outSize = (13 + 2 - dilation * 2 - 1) / stride + 1;
            long terms = Math.Max(Math.Max(channels, cout) / groups * 9, Batch * outSize * outSize);
            return new ConvCase($"conv2d {channels}→{cout}",
                t => nn.functional.conv2d(t[0], t[1], null, [stride, stride], [1, 1], [dilation, dilation], groups), [x, w], terms);
        });

    [Theory, MemberData(nameof(ChannelCounts))]
    public void ConvTranspose2d_forward_and_both_gradients_match_float64(int channels) =>
        AssertEveryCase(channels, (ulong)(100 + channels), (g, stride, groups, dilation) =>
        {
            int cout = groups == 1 ? channels + 3 : channels;
            var x = randn([Batch, channels, 9, 9], generator: g);
            var w = randn([channels, cout / groups, 3, 3], generator: g) * 0.2;
            int outSize = (9 - 1) * stride - 2 + dilation * 2 + 1;
            long terms = Math.Max(Math.Max(channels, cout) / groups * 9, Batch * Math.Max(outSize, 9) * Math.Max(outSize, 9));
            return new ConvCase($"conv_transpose2d {channels}→{cout}",
                t => nn.functional.conv_transpose2d(t[0], t[1], null, [stride, stride], [1, 1], null, [dilation, dilation], groups), [x, w], terms);
        });

    [Theory, MemberData(nameof(ChannelCounts))]
    public void Pooling_forward_and_gradient_match_float64(int channels)
    {
        var failures = new List<string>();
        int cases = 0;
        var g = new Generator((ulong)(200 + channels));
        foreach (int stride in new[] { 1, 2 })
        foreach (int kernel in new[] { 2, 3 })
        {
            using var scope = NewDisposeScope();
            var x = randn([Batch, channels, 11, 11], generator: g);
            // Max pooling's magnitudes follow the selection made on the signed input (the same element per window),
            // so their run gathers those elements instead of pooling the absolute values again.
            var selected = nn.functional.max_pool2d_with_indices(x, [kernel, kernel], [stride, stride]).indices;
            Tensor Gather(Tensor t) => t.flatten(2).gather(2, selected.flatten(2)).view(selected.shape);
            var pools = new (string, Func<Tensor[], Tensor>, Func<Tensor[], Tensor>?)[]
            {
                ("max_pool2d", t => nn.functional.max_pool2d(t[0], [kernel, kernel], [stride, stride]), t => Gather(t[0])),
                ("avg_pool2d", t => nn.functional.avg_pool2d(t[0], [kernel, kernel], [stride, stride]), null),
                ("adaptive_avg_pool2d", t => nn.functional.adaptive_avg_pool2d(t[0], [3, 3]), null),
            };
            foreach (var (name, op, magnitude) in pools)
            {
                // At most one window per output element and 9 windows per input element: 11×11 terms bounds both.
                var c = Float64Reference.Compare(op, [x], terms: 11 * 11, seed: cases, magnitudeOp: magnitude);
                cases++;
                if (!c.Passed) failures.Add($"{name} {channels} channels kernel {kernel} stride {stride}: {c.Where} off by {c.RelativeError:G3} ({c.WorstRatio:G3}× the bound)");
            }
        }
        AssertAllRight(failures, cases);
    }
}
