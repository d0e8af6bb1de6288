using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Platform;

/// <summary>
/// Runs an operation in float32 (forward and backward) and again in float64, and measures the float32 result
/// against an error bound derived from the float64 computation rather than a tolerance tuned on one CPU.
/// <para>For an operation made of products and sums (convolution, transposed convolution, pooling, linear), each
/// output and gradient element is a sum of K products; recursive summation in float32 is then off from the exact
/// value by at most γ = (K+1)·u·Σ|terms| (u = 2⁻²⁴, Higham's bound, whatever order or blocking the kernel uses).
/// Σ|terms| is the same computation run in float64 on the absolute values of the inputs and of the output
/// gradient, which is exact for such operations. The float32 inputs are exact in float64, so a kernel that obeys
/// the bound is right on any CPU; one that breaks it (NaN, or a channel computed from the wrong memory) is wrong.</para>
/// </summary>
internal static class Float64Reference
{
    /// <summary>The outcome: the worst element's error as a fraction of its bound (≤ 1 is right), and where it was.</summary>
    /// <param name="WorstRatio">max over all compared elements of |float32 − float64| / bound; +∞ for a NaN or ±∞ result.</param>
    /// <param name="Where">"output", or "gradient of input k" for the worst element.</param>
    /// <param name="RelativeError">That element's error relative to the largest float64 value of its tensor, for messages.</param>
    public readonly record struct Comparison(double WorstRatio, string Where, double RelativeError)
    {
        public bool Passed => WorstRatio <= 1;
    }

    /// <summary>
    /// Compares <paramref name="op"/> on <paramref name="inputs"/> (float32, any device: CPU here) with its float64
    /// twin. <paramref name="terms"/> is an upper bound on the number of products summed into one element of the
    /// output or of any input's gradient. The output gradient is drawn from <paramref name="seed"/>.
    /// <paramref name="magnitudeOp"/> replaces <paramref name="op"/> for the run on absolute values where the op is
    /// not a fixed sum of products (max pooling: its selection must stay the one made on the signed inputs).
    /// </summary>
    public static Comparison Compare(Func<Tensor[], Tensor> op, Tensor[] inputs, long terms, long seed = 0, Func<Tensor[], Tensor>? magnitudeOp = null)
    {
        using var scope = NewDisposeScope();
        var x32 = inputs.Select(t => t.detach().to(float32).requires_grad_()).ToArray();
        var y32 = op(x32);
        var g32 = randn(y32.shape, dtype: float32, generator: new Generator((ulong)seed));
        y32.backward([g32]);

        var x64 = x32.Select(t => t.detach().to(float64).requires_grad_()).ToArray();
        var y64 = op(x64);
        y64.backward([g32.to(float64)]);

        // The same computation on absolute values: every term's magnitude, summed exactly (float64, few terms).
        var a64 = x32.Select(t => t.detach().to(float64).abs().requires_grad_()).ToArray();
        var s64 = (magnitudeOp ?? op)(a64);
        s64.backward([g32.to(float64).abs()]);

        double gamma = (terms + 1) * Math.Pow(2, -24);
        var worst = Measure(y32, y64, s64, gamma, "output");
        for (int i = 0; i < x32.Length; i++)
        {
            var c = Measure(x32[i].grad!, x64[i].grad!, a64[i].grad!, gamma, $"gradient of input {i}");
            if (c.WorstRatio > worst.WorstRatio) worst = c;
        }
        return worst;
    }

    private static Comparison Measure(Tensor f32, Tensor f64, Tensor magnitude, double gamma, string where)
    {
        var actual = f32.detach().to(float64);
        var reference = f64.detach();
        double scale = reference.abs().max().ToDouble();
        if (!actual.isfinite().all().ToBoolean()) return new Comparison(double.PositiveInfinity, where, double.PositiveInfinity);
        var error = (actual - reference).abs();
        // The bound per element, plus a floor of one float32 ulp of the tensor's scale for elements whose terms are all ~0.
        var bound = magnitude.detach() * gamma + scale * Math.Pow(2, -24);
        double ratio = (error / bound.clamp_min(double.Epsilon)).max().ToDouble();
        double relative = scale == 0 ? error.max().ToDouble() : error.max().ToDouble() / scale;
        return new Comparison(ratio, where, relative);
    }
}
