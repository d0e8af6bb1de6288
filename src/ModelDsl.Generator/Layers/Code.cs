using System.Globalization;

namespace ModelDsl.Generator.Layers
{
    /// <summary>Literals for generated C# and for PyTorch-style descriptions, culture-invariant.</summary>
    internal static class Code
    {
        public const string Nn = "global::TorchSharp.torch.nn.";

        /// <summary>
        /// A projection shortcut (a block's, an Add merge's): its 1×1 conv and batch norm in one Sequential, under the
        /// names "Conv" and "BatchNorm" that state_dict keys and the PyTorch twin use.
        /// </summary>
        public static string ProjectionSequential(string convCall, string batchNormCall)
            => $"{Nn}Sequential((\"Conv\", {convCall}), (\"BatchNorm\", {batchNormCall}))";

        public static string Long(long v) => v.ToString(CultureInfo.InvariantCulture);
        public static string Bool(bool v) => v ? "true" : "false";
        public static string Tuple(long h, long w) => $"({Long(h)}, {Long(w)})";

        /// <summary>A double literal that reads back as the same value ("0.5", "1.0", "1E-05").</summary>
        public static string Double(double v)
        {
            string s = v.ToString("R", CultureInfo.InvariantCulture);
            return s.Contains(".") || s.Contains("E") ? s : s + ".0";
        }

        /// <summary>Python's bool and pair notation, as PyTorch's repr prints them.</summary>
        public static string PyBool(bool v) => v ? "True" : "False";
        public static string PyPair(long h, long w) => $"({h}, {w})";
    }
}
