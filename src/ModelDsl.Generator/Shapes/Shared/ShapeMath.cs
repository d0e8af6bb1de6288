// Compiled into both the generator (internal) and the runtime (public, see Runtime/Shape.Public.cs).
// Every formula here is PyTorch's, so a net that PyTorch accepts gets the same shapes, and one it
// rejects is rejected at compile time. All arithmetic is checked: a size past 2^63 − 1 throws
// OverflowException (the generator reports it as MDSL0022) instead of wrapping into a wrong shape.
namespace ModelDsl
{
    /// <summary>PyTorch's output-size formulas for one spatial dimension.</summary>
    static partial class ShapeMath
    {
        /// <summary>Conv2d: ⌊(in + 2·pad − dil·(k−1) − 1) / stride⌋ + 1.</summary>
        public static long ConvOut(long input, long kernel, long stride, long padding, long dilation)
            => checked(FloorDiv(input + 2 * padding - dilation * (kernel - 1) - 1, stride) + 1);

        /// <summary>The readable formula of <see cref="ConvOut"/> with the numbers filled in.</summary>
        public static string ConvFormula(long input, long kernel, long stride, long padding, long dilation)
            => $"({input} + 2·{padding} − {dilation}·({kernel}−1) − 1)/{stride} + 1";

        /// <summary>ConvTranspose2d: (in−1)·stride − 2·pad + dil·(k−1) + output_padding + 1.</summary>
        public static long ConvTransposeOut(long input, long kernel, long stride, long padding, long outputPadding, long dilation)
            => checked((input - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1);

        public static string ConvTransposeFormula(long input, long kernel, long stride, long padding, long outputPadding, long dilation)
            => $"({input}−1)·{stride} − 2·{padding} + {dilation}·({kernel}−1) + {outputPadding} + 1";

        /// <summary>
        /// MaxPool2d/AvgPool2d output size, with PyTorch's ceil-mode rule: with ceil_mode the last
        /// window must still start inside the input or the left padding, else it is dropped
        /// (aten/src/ATen/native/Pool.h, pooling_output_shape).
        /// </summary>
        public static long PoolOut(long input, long kernel, long stride, long padding, long dilation, bool ceilMode)
        {
            checked
            {
                long numerator = input + 2 * padding - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0);
                long output = FloorDiv(numerator, stride) + 1;
                if (ceilMode && (output - 1) * stride >= input + padding) output--;
                return output;
            }
        }

        public static string PoolFormula(long input, long kernel, long stride, long padding, long dilation, bool ceilMode)
            => ceilMode
                ? $"⌈({input} + 2·{padding} − {dilation}·({kernel}−1) − 1)/{stride}⌉ + 1"
                : $"({input} + 2·{padding} − {dilation}·({kernel}−1) − 1)/{stride} + 1";

        /// <summary>
        /// Rows (or columns) of the input that no pooling/conv window covers: the tail that floor
        /// division throws away. 0 when the windows tile the padded input exactly.
        /// </summary>
        public static long DroppedTail(long input, long kernel, long stride, long padding, long dilation)
        {
            checked
            {
                long span = input + 2 * padding - dilation * (kernel - 1) - 1;
                if (span < 0) return 0;
                long covered = (span / stride) * stride + 1 + dilation * (kernel - 1);
                long dropped = input + 2 * padding - covered - padding; // the right padding is not real data
                return dropped > 0 ? dropped : 0;
            }
        }

        /// <summary>
        /// PyTorch's padding='same' on one axis of a stride-1 conv: total = dil·(k−1), of which total/2 go
        /// before and the rest after (an odd total puts the extra row or column after).
        /// </summary>
        public static (long Before, long After) SamePadding(long kernel, long dilation)
        {
            long total = checked(dilation * (kernel - 1));
            return (total / 2, total - total / 2);
        }

        /// <summary>Upsample with a scale factor: ⌊in · scale⌋, as PyTorch computes it; OverflowException past 2^63 − 1 (or for a non-finite scale).</summary>
        public static long UpsampleOut(long input, double scale)
        {
            double size = System.Math.Floor(input * scale);
            // 2^63 is the first double above long.MaxValue; the comparison is false for NaN too.
            if (!(size < 9223372036854775808.0)) throw new System.OverflowException($"⌊{input}·{scale}⌋ exceeds 2^63 − 1");
            return (long)size;
        }

        /// <summary>Floor division that is correct for negative numerators (C#'s / truncates toward zero).</summary>
        public static long FloorDiv(long a, long b)
        {
            long q = a / b;
            if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
            return q;
        }
    }
}
