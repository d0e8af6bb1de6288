using ModelDsl;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Shapes;

/// <summary>
/// The per-axis programs against libtorch: for random nets of convs (every padding mode, Same included),
/// pools (ceil mode), transposed convs, upsampling, adaptive pools, taps, concatenations, projections and
/// heads, a size is accepted exactly when TorchSharp's forward runs, and every step's size is the one
/// the forward produces.
/// </summary>
public class AxisProgramTests
{
    private const int MaxSize = 24;

    [Fact]
    public void Random_programs_accept_exactly_the_sizes_libtorch_runs_and_give_its_sizes()
    {
        var random = new Random(20261201);
        int acceptedRuns = 0, rejectedRuns = 0;
        for (int net = 0; net < 50; net++)
        {
            var steps = RandomNet(random);
            var program = new AxisProgram(steps.Select(s => s.Step).ToArray());
            // Square inputs: several upsampling steps could make libtorch's forward slow, not wrong; redraw those.
            if (Largest(program) > 256) { net--; continue; }
            var sizes = new long[program.Count];
            for (long n = 1; n <= MaxSize; n++)
            {
                int failed = program.Run(n, sizes);
                // libtorch takes tens of milliseconds to throw, so rejected sizes are checked where the answer
                // changes (next to an accepted size) and at the smallest size, every accepted size everywhere.
                if (failed != -1 && n > 1 && !program.Accepts(n - 1) && !program.Accepts(n + 1)) continue;
                var actual = TorchSizes(steps, n, out string? error);
                if (failed == -1)
                {
                    Assert.True(error is null, $"{program} accepts {n} but libtorch fails: {error}");
                    Assert.Equal(actual, sizes);
                    acceptedRuns++;
                }
                else
                {
                    Assert.True(error is not null, $"{program} rejects {n} at step {failed} but libtorch runs it to {string.Join(",", actual)}");
                    rejectedRuns++;
                }
            }
        }
        // Both outcomes must actually occur, or the comparison proves little.
        Assert.True(acceptedRuns > 300, $"only {acceptedRuns} accepted runs");
        Assert.True(rejectedRuns > 50, $"only {rejectedRuns} rejected runs");
    }

    [Fact]
    public void Run_reports_the_first_rejecting_step_and_Explain_says_why()
    {
        var program = new AxisProgram(AxisStep.Tap(), AxisStep.Window(3, 1, 0, 1), AxisStep.Merge(0));
        var sizes = new long[3];
        Assert.Equal(1, program.Run(2, sizes));      // 2 + 0 − 2 − 1 < 0: the conv's output would be 0
        Assert.Equal(2, program.Run(10, sizes));     // 8 ≠ 10 at the merge
        var failure = program.Explain(10)!;
        Assert.Equal(AxisFailure.Reason.Mismatch, failure.Why);
        Assert.Equal(8, failure.Input);
        Assert.Equal(10, failure.Reference);
        Assert.Equal(AxisFailure.Reason.NonPositive, program.Explain(2)!.Why);
        Assert.Equal(3, program.Run(0, sizes));      // the input itself is below 1
    }

    [Fact]
    public void Reflect_padding_must_be_smaller_than_the_input_and_circular_may_equal_it()
    {
        var reflect = new AxisProgram(AxisStep.Window(3, 1, 2, 1, rule: AxisStep.PaddingRule.LessThanInput));
        var circular = new AxisProgram(AxisStep.Window(3, 1, 2, 1, rule: AxisStep.PaddingRule.AtMostInput));
        Assert.False(reflect.Accepts(2));
        Assert.True(reflect.Accepts(3));
        Assert.True(circular.Accepts(2));
        Assert.False(circular.Accepts(1));
        Assert.Equal(TorchAccepts(x => ConvH(x, 3, 1, 2, 1, PaddingModes.Reflect), 2), reflect.Accepts(2));
        Assert.Equal(TorchAccepts(x => ConvH(x, 3, 1, 2, 1, PaddingModes.Reflect), 3), reflect.Accepts(3));
        Assert.Equal(TorchAccepts(x => ConvH(x, 3, 1, 2, 1, PaddingModes.Circular), 2), circular.Accepts(2));
        Assert.Equal(TorchAccepts(x => ConvH(x, 3, 1, 2, 1, PaddingModes.Circular), 1), circular.Accepts(1));
    }

    [Fact]
    public void Sizes_that_would_overflow_are_rejected_not_wrapped()
    {
        var program = new AxisProgram(AxisStep.Transposed(3, 1L << 40, 0, 0, 1));
        Assert.True(program.Accepts(1000));
        Assert.False(program.Accepts(1L << 30));
        Assert.Equal(AxisFailure.Reason.Overflow, program.Explain(1L << 30)!.Why);
        Assert.False(new AxisProgram(AxisStep.Scale(1e300)).Accepts(10));
    }

    [Fact]
    public void A_reference_to_a_later_step_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new AxisProgram(AxisStep.Merge(0)));
        Assert.Contains("step 0", e.Message);
    }

    [Fact]
    public void Programs_compare_by_value_and_print_as_the_source_that_rebuilds_them()
    {
        var a = new AxisProgram(AxisStep.Tap(), AxisStep.Window(3, 2, 1, 1, ceilMode: true), AxisStep.Scale(2.5), AxisStep.Merge(0));
        var b = new AxisProgram(AxisStep.Tap(), AxisStep.Window(3, 2, 1, 1, ceilMode: true), AxisStep.Scale(2.5), AxisStep.Merge(0));
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, new AxisProgram(AxisStep.Tap(), AxisStep.Window(3, 2, 1, 1), AxisStep.Scale(2.5), AxisStep.Merge(0)));
        Assert.Equal("new global::ModelDsl.AxisProgram(global::ModelDsl.AxisStep.Tap(), global::ModelDsl.AxisStep.Window(3, 2, 1, 1, ceilMode: true), "
                     + "global::ModelDsl.AxisStep.Scale(2.5), global::ModelDsl.AxisStep.Merge(0))", a.ToSource());
    }

    private static long Largest(AxisProgram program)
    {
        var sizes = new long[program.Count];
        long largest = 0;
        for (long n = 1; n <= MaxSize; n++)
            if (program.Run(n, sizes) == -1) largest = Math.Max(largest, sizes.DefaultIfEmpty(0).Max());
        return largest;
    }

    // ---- random nets, built as per-axis steps and as real square TorchSharp layers on an n×n input
    // (square, because TorchSharp 0.107 passes a ConvTranspose2d output_padding (h, w) on as (h, h)) ----

    /// <summary>The TorchSharp layer a test step stands for (a conv and a pool can be the same Window step).</summary>
    private enum Layer { Conv, MaxPool, AvgPool, Other }

    private static List<(AxisStep Step, Layer Layer)> RandomNet(Random random)
    {
        var net = new List<(AxisStep, Layer)>();
        var taps = new List<int>();
        int length = random.Next(1, 7);
        for (int i = 0; i < length; i++)
        {
            // Merges and heads only refer to earlier taps; a tap is added now and then.
            if (random.Next(4) == 0) { taps.Add(net.Count); net.Add((AxisStep.Tap(), Layer.Other)); }
            int choice = random.Next(taps.Count > 0 ? 11 : 8);
            long k = random.Next(1, 6), s = random.Next(1, 4), d = random.Next(1, 3);
            net.Add(choice switch
            {
                0 or 1 => (AxisStep.Window(k, s, random.Next(0, 4), d, rule: (AxisStep.PaddingRule)random.Next(3)), Layer.Conv),
                2 => (AxisStep.Same(k, d, (AxisStep.PaddingRule)random.Next(3)), Layer.Conv),
                // PyTorch's pools: padding at most half the kernel (libtorch's pool2d_shape_check, applied to max
                // pools too, whatever the dilation); average pools have no dilation
                3 => (AxisStep.Window(k, s, random.Next(0, (int)(k / 2) + 1), d, ceilMode: random.Next(2) == 0), Layer.MaxPool),
                4 => (AxisStep.Window(k, s, random.Next(0, (int)(k / 2) + 1), 1, ceilMode: random.Next(2) == 0), Layer.AvgPool),
                // output padding smaller than the stride or the dilation
                5 => (AxisStep.Transposed(k, s, random.Next(0, 3), random.Next(0, (int)Math.Max(s, d)), d), Layer.Other),
                6 => (AxisStep.Scale(new[] { 0.5, 1.5, 2.0, 3.0, 0.75 }[random.Next(5)]), Layer.Other),
                7 => (AxisStep.Resize(random.Next(1, 9)), Layer.Other),
                8 => (AxisStep.Merge(taps[random.Next(taps.Count)]), Layer.Other),
                9 => (AxisStep.Project(taps[random.Next(taps.Count)], random.Next(1, 4)), Layer.Other),
                _ => (AxisStep.Resume(taps[random.Next(taps.Count)]), Layer.Other),
            });
        }
        return net;
    }

    /// <summary>Runs the net as TorchSharp layers on a 1×1×n×n input; the size after each step, or the libtorch error.</summary>
    private static long[] TorchSizes(IReadOnlyList<(AxisStep Step, Layer Layer)> net, long n, out string? error)
    {
        var sizes = new long[net.Count];
        error = null;
        using var scope = NewDisposeScope();
        try
        {
            var outputs = new Tensor[net.Count];
            var x = zeros(1, 1, n, n);
            for (int i = 0; i < net.Count; i++)
            {
                var (st, layer) = net[i];
                x = st.Kind switch
                {
                    AxisStep.Operation.Window when layer == Layer.MaxPool
                        => nn.MaxPool2d((st.Kernel, st.Kernel), (st.Stride, st.Stride), (st.Padding, st.Padding), (st.Dilation, st.Dilation), ceil_mode: st.CeilMode).call(x),
                    AxisStep.Operation.Window when layer == Layer.AvgPool
                        => nn.AvgPool2d((st.Kernel, st.Kernel), (st.Stride, st.Stride), (st.Padding, st.Padding), ceil_mode: st.CeilMode).call(x),
                    AxisStep.Operation.Window => ConvH(x, st.Kernel, st.Stride, st.Padding, st.Dilation, Mode(st.Rule)),
                    AxisStep.Operation.Same => SameH(x, st.Kernel, st.Dilation, Mode(st.Rule)),
                    AxisStep.Operation.Transposed => nn.ConvTranspose2d(1, 1, (st.Kernel, st.Kernel), stride: (st.Stride, st.Stride), padding: (st.Padding, st.Padding), output_padding: (st.OutputPadding, st.OutputPadding), dilation: (st.Dilation, st.Dilation)).call(x),
                    AxisStep.Operation.Scale => nn.Upsample(scale_factor: new[] { st.ScaleFactor, st.ScaleFactor }, mode: torch.UpsampleMode.Nearest).call(x),
                    AxisStep.Operation.Resize => nn.AdaptiveAvgPool2d((st.Size, st.Size)).call(x),
                    AxisStep.Operation.Tap => x,
                    // cat checks every other dimension strictly (add would broadcast a size of 1); one channel is kept
                    AxisStep.Operation.Merge => cat(new[] { x, outputs[st.Reference] }, 1).narrow(1, 0, 1),
                    AxisStep.Operation.Project => cat(new[] { x, nn.Conv2d(outputs[st.Reference].shape[1], 1, (1, 1), stride: (st.Stride, st.Stride)).call(outputs[st.Reference]) }, 1).narrow(1, 0, 1),
                    _ => outputs[st.Reference],
                };
                outputs[i] = x;
                sizes[i] = x.shape[2];
            }
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            error = e.Message.Split('\n')[0];
        }
        return sizes;
    }

    private static PaddingModes Mode(AxisStep.PaddingRule rule) => rule switch
    {
        AxisStep.PaddingRule.LessThanInput => PaddingModes.Reflect,
        AxisStep.PaddingRule.AtMostInput => PaddingModes.Circular,
        _ => PaddingModes.Zeros,
    };

    private static Tensor ConvH(Tensor x, long k, long s, long p, long d, PaddingModes mode)
        => nn.Conv2d(1, 1, (k, k), stride: (s, s), padding: (p, p), dilation: (d, d), padding_mode: mode).call(x);

    // PyTorch's Same: total dilation·(k−1), left = total/2, the rest on the right, padded with the mode first.
    private static Tensor SameH(Tensor x, long k, long d, PaddingModes mode)
    {
        long total = d * (k - 1), left = total / 2, right = total - left;
        if (mode == PaddingModes.Zeros)
            return nn.Conv2d(1, 1, (k, k), Padding.Same, dilation: (d, d)).call(x);
        var padded = nn.functional.pad(x, new[] { left, right, left, right }, mode);
        return nn.Conv2d(1, 1, (k, k), stride: (1, 1), padding: (0, 0), dilation: (d, d)).call(padded);
    }

    private static bool TorchAccepts(Func<Tensor, Tensor> layer, long n)
    {
        using var scope = NewDisposeScope();
        try { layer(zeros(1, 1, n, n)); return true; }
        catch (Exception) { return false; }
    }
}
