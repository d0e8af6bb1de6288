// Compiled into both the generator (internal) and the runtime (internal): the generator writes every layer's receptive
// field into the Summary and Layers at compile time, the runtime computes it from a ModelGraph (ReceptiveField.PerLayer),
// and both must give the same numbers.
using System;

namespace ModelDsl
{
    /// <summary>
    /// What one layer does to the receptive field along one axis, as the course computes it: a window of kernel k and
    /// dilation d whose outputs lie s input steps apart widens the field r by (k − 1)·d·j and multiplies the jump j by s.
    /// Every layer that moves or resizes the map is such a window with real numbers: a transposed convolution is
    /// (k, d/s, 1/s), an upsampling (1, 1, in/out), an adaptive pool that shrinks the map (⌈in/out⌉, 1, in/out).
    /// A value (equal windows are equal), so the generator's resolved layers that carry it stay equatable for incremental runs.
    /// </summary>
    readonly record struct FieldWindow(double Kernel, double Dilation, double Stride)
    {
        /// <summary>A layer that keeps the field: activations, norms, padding, a 1×1 convolution of stride 1.</summary>
        public static FieldWindow Identity => new FieldWindow(1, 1, 1);

        /// <summary>A convolution or pool of kernel <paramref name="kernel"/>, stride <paramref name="stride"/>, dilation <paramref name="dilation"/>.</summary>
        public static FieldWindow Sliding(long kernel, long stride, long dilation) => new FieldWindow(kernel, dilation, stride);

        /// <summary>A transposed convolution spreads each input over k outputs s apart: the jump divides by s, the kernel widens the field by (k − 1)·d·j/s.</summary>
        public static FieldWindow Transposed(long kernel, long stride, long dilation) => new FieldWindow(kernel, (double)dilation / stride, 1.0 / stride);

        /// <summary>
        /// A resize of an axis from <paramref name="input"/> to <paramref name="output"/> (an adaptive pool, an upsampling by a
        /// factor or to a size): shrinking pools windows of about in/out, that far apart; growing only divides the jump.
        /// </summary>
        public static FieldWindow Resize(long input, long output)
            => output < input ? new FieldWindow(Math.Ceiling((double)input / output), 1, (double)input / output) : new FieldWindow(1, 1, (double)input / output);

        /// <summary>A resize to 1×1 (a global pool): every output sees the whole input.</summary>
        public static bool IsGlobal(long outputHeight, long outputWidth) => outputHeight == 1 && outputWidth == 1;

        /// <summary>The field (<paramref name="size"/>, <paramref name="jump"/>) after this window.</summary>
        public void Apply(ref double size, ref double jump)
        {
            size += (Kernel - 1) * Dilation * jump;
            jump *= Stride;
        }
    }
}
