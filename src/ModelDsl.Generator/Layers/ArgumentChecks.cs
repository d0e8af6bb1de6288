using System.Globalization;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Layers
{
    /// <summary>The checks most families share: square values with …H/…W overrides, positive counts, MDSL0007.</summary>
    internal static class ArgumentChecks
    {
        /// <summary>
        /// Reads a square value (<paramref name="square"/>) with optional overrides per axis. Missing, it is
        /// <paramref name="fallback"/>, or per axis <paramref name="fallbackH"/>/<paramref name="fallbackW"/>
        /// when there is no fallback (a pool's stride defaults to its kernel).
        /// </summary>
        public static (long H, long W, bool Ok) Pair(LayerSpec layer, string name, string square, string squareH, string squareW,
            long? fallback, DiagnosticSink sink, long min, bool required = false, long fallbackH = 0, long fallbackW = 0)
        {
            bool hasSquare = layer.Has(square);
            long value = layer.Int(square, fallback ?? 0);
            long h = layer.Has(squareH) ? layer.Int(squareH, 0) : hasSquare ? value : fallback ?? fallbackH;
            long w = layer.Has(squareW) ? layer.Int(squareW, 0) : hasSquare ? value : fallback ?? fallbackW;
            if (required && !hasSquare && (!layer.Has(squareH) || !layer.Has(squareW)))
            {
                Invalid(layer, name, square, "missing", $"set {square} (or {squareH} and {squareW})", sink);
                return (h, w, false);
            }
            foreach (var (written, axisValue) in new[] { (layer.Has(squareH) ? squareH : square, h), (layer.Has(squareW) ? squareW : square, w) })
            {
                if (axisValue >= min) continue;
                Invalid(layer, name, written, axisValue == Pad.Same ? "Pad.Same" : axisValue.ToString(CultureInfo.InvariantCulture),
                    axisValue == Pad.Same ? "Pad.Same applies only to Conv2d" : $"it must be at least {min}", sink, written);
                return (h, w, false);
            }
            return (h, w, true);
        }

        public static bool Positive(LayerSpec layer, string name, string property, DiagnosticSink sink)
        {
            long value = layer.Int(property, 0);
            if (value > 0) return true;
            Invalid(layer, name, property, value, "it must be positive", sink);
            return false;
        }

        /// <summary>MDSL0007 at the argument (or the attribute when the argument was not written).</summary>
        public static void Invalid(LayerSpec layer, string name, string property, object value, string requirement, DiagnosticSink sink, string? argument = null)
            => Invalid(layer, layer.Kind, name, property, value, requirement, sink, argument);

        public static void Invalid(LayerSpec layer, string shownKind, string name, string property, object value, string requirement, DiagnosticSink sink, string? argument = null)
        {
            string shown = value is double d ? d.ToString("R", CultureInfo.InvariantCulture) : System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            sink.Report(DiagnosticDescriptors.InvalidLayerArgument, layer.LocationOf(argument ?? property), shownKind, name, property, shown, requirement);
        }
    }
}
