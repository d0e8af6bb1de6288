using TorchSharp;

namespace ModelDsl;

/// <summary>
/// The runtime check at the top of every generated <c>forward</c>: a wrong input shape becomes an
/// <see cref="ArgumentException"/> naming the model and both shapes, not a libtorch error from deep
/// inside a layer. The first call also makes sure the CPU's convolutions are right (<see cref="Platform.CpuNumerics"/>).
/// </summary>
public static class ShapeGuard
{
    /// <summary>Throws unless <paramref name="input"/> is a batch N×<paramref name="expected"/>.</summary>
    public static void CheckInput(torch.Tensor input, Shape expected, string model)
    {
        if (input is null) throw new ArgumentNullException(nameof(input), $"{model}.forward got a null input tensor.");
        // Every generated forward starts here or in AnySizeInput.Check: the first one checks the CPU's convolutions
        // (Platform.CpuNumerics), before any of them computes.
        Platform.CpuNumerics.EnsureChecked();
        var dims = input.shape;
        if (Matches(dims, expected)) return;
        throw new ArgumentException(Describe(dims, expected, model), nameof(input));
    }

    internal static bool Matches(long[] dims, Shape expected)
    {
        if (dims.Length != expected.Rank + 1) return false;
        for (int i = 0; i < expected.Rank; i++)
            if (dims[i + 1] != expected[i]) return false;
        return true;
    }

    internal static string Describe(long[] dims, Shape expected, string model)
    {
        string hint = dims.Length == expected.Rank && SameTail(dims, expected)
            ? " The batch dimension is missing: use input.unsqueeze(0) for a single sample."
            : "";
        return $"{model} expects input N×{expected} (per sample {expected}) but got {Shape.Format(dims)}.{hint}";
    }

    private static bool SameTail(long[] dims, Shape expected)
    {
        for (int i = 0; i < expected.Rank; i++)
            if (dims[i] != expected[i]) return false;
        return true;
    }
}
