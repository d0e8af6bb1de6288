// Compiled into both the generator (internal) and the runtime (public, see Runtime/Shape.Public.cs).
using System;

namespace ModelDsl
{
    /// <summary>
    /// What one layer (or one graph edge) does to one spatial axis. Every conv, pool, upsample and merge
    /// acts on the height and on the width independently, so a net is, per axis, a short program of
    /// these steps; <see cref="AxisProgram"/> runs it and <see cref="AcceptedSizes"/> decides which input
    /// sizes it accepts. The formulas are <see cref="ShapeMath"/>'s, i.e. PyTorch's.
    /// </summary>
    readonly partial struct AxisStep : IEquatable<AxisStep>
    {
        /// <summary>The kinds of step.</summary>
        public enum Operation
        {
            /// <summary>Conv2d or a pool: a sliding window (kernel, stride, padding, dilation, ceil mode).</summary>
            Window,
            /// <summary>Conv2d with Padding = Same (stride 1): the size is kept; only the padding limit applies.</summary>
            Same,
            /// <summary>ConvTranspose2d.</summary>
            Transposed,
            /// <summary>Upsample by a scale factor: ⌊in · scale⌋.</summary>
            Scale,
            /// <summary>AdaptiveAvgPool2d, GlobalAvgPool or Upsample to a size: any input, a fixed output.</summary>
            Resize,
            /// <summary>Tap: names the current size so that a later merge or head can refer to it.</summary>
            Tap,
            /// <summary>Add or Concat: the current size must equal the size at step <see cref="Reference"/>.</summary>
            Merge,
            /// <summary>Add with a 1×1 projection of stride <see cref="Stride"/> from step <see cref="Reference"/>: its output must equal the current size.</summary>
            Project,
            /// <summary>Head: continue from the size at step <see cref="Reference"/>.</summary>
            Resume,
            /// <summary>Multiply: the current size and the size at step <see cref="Reference"/> must be equal or one of them 1; the output is the other.</summary>
            Broadcast,
        }

        /// <summary>What a non-zero padding mode demands of the input (PyTorch pads with F.pad before the conv).</summary>
        public enum PaddingRule
        {
            /// <summary>Zeros or replicate padding: any input size.</summary>
            Any,
            /// <summary>Reflect padding: every side's padding must be smaller than the input size.</summary>
            LessThanInput,
            /// <summary>Circular padding: a side's padding may not wrap around more than once.</summary>
            AtMostInput,
        }

        public Operation Kind { get; }
        public long Kernel { get; }
        public long Stride { get; }
        /// <summary>Padding on each side; for <see cref="Operation.Same"/> the larger side (PyTorch puts the odd one on the right).</summary>
        public long Padding { get; }
        public long Dilation { get; }
        public long OutputPadding { get; }
        public bool CeilMode { get; }
        public PaddingRule Rule { get; }
        public double ScaleFactor { get; }
        /// <summary>The output size of a <see cref="Operation.Resize"/>.</summary>
        public long Size { get; }
        /// <summary>The step a merge, projection or head refers to (an index into the same program).</summary>
        public int Reference { get; }

        private AxisStep(Operation kind, long kernel = 0, long stride = 1, long padding = 0, long dilation = 1, long outputPadding = 0,
            bool ceilMode = false, PaddingRule rule = PaddingRule.Any, double scale = 0, long size = 0, int reference = -1)
        {
            Kind = kind; Kernel = kernel; Stride = stride; Padding = padding; Dilation = dilation; OutputPadding = outputPadding;
            CeilMode = ceilMode; Rule = rule; ScaleFactor = scale; Size = size; Reference = reference;
        }

        /// <summary>Conv2d, MaxPool2d or AvgPool2d along one axis.</summary>
        public static AxisStep Window(long kernel, long stride, long padding, long dilation, bool ceilMode = false, PaddingRule rule = PaddingRule.Any)
            => new(Operation.Window, kernel, stride, padding, dilation, ceilMode: ceilMode, rule: rule);

        /// <summary>Conv2d with Padding = Same: total padding dilation·(kernel−1), the larger half on the right.</summary>
        public static AxisStep Same(long kernel, long dilation, PaddingRule rule = PaddingRule.Any)
            => new(Operation.Same, kernel, 1, (dilation * (kernel - 1) + 1) / 2, dilation, rule: rule);

        public static AxisStep Transposed(long kernel, long stride, long padding, long outputPadding, long dilation)
            => new(Operation.Transposed, kernel, stride, padding, dilation, outputPadding);

        public static AxisStep Scale(double factor) => new(Operation.Scale, scale: factor);

        public static AxisStep Resize(long size) => new(Operation.Resize, size: size);

        public static AxisStep Tap() => new(Operation.Tap);

        public static AxisStep Merge(int tapStep) => new(Operation.Merge, reference: tapStep);

        public static AxisStep Project(int tapStep, long stride) => new(Operation.Project, stride: stride, reference: tapStep);

        public static AxisStep Resume(int tapStep) => new(Operation.Resume, reference: tapStep);

        public static AxisStep Broadcast(int tapStep) => new(Operation.Broadcast, reference: tapStep);

        public bool Equals(AxisStep other)
            => Kind == other.Kind && Kernel == other.Kernel && Stride == other.Stride && Padding == other.Padding
               && Dilation == other.Dilation && OutputPadding == other.OutputPadding && CeilMode == other.CeilMode
               && Rule == other.Rule && ScaleFactor.Equals(other.ScaleFactor) && Size == other.Size && Reference == other.Reference;

        public override bool Equals(object? obj) => obj is AxisStep s && Equals(s);

        public override int GetHashCode()
        {
            unchecked
            {
                int h = (int)Kind;
                foreach (long v in new[] { Kernel, Stride, Padding, Dilation, OutputPadding, Size, Reference })
                    h = h * 397 ^ v.GetHashCode();
                return (h * 397 ^ ScaleFactor.GetHashCode()) * 397 ^ (CeilMode ? 1 : 0) ^ (int)Rule << 2;
            }
        }

        public static bool operator ==(AxisStep a, AxisStep b) => a.Equals(b);
        public static bool operator !=(AxisStep a, AxisStep b) => !a.Equals(b);

        /// <summary>The step as C# source (what the generated code writes to rebuild it at run time).</summary>
        public string ToSource()
        {
            const string T = "global::ModelDsl.AxisStep.";
            string I(long v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string rule = Rule == PaddingRule.Any ? "" : $", rule: {T}PaddingRule.{Rule}";
            return Kind switch
            {
                Operation.Window => $"{T}Window({I(Kernel)}, {I(Stride)}, {I(Padding)}, {I(Dilation)}{(CeilMode ? ", ceilMode: true" : "")}{rule})",
                Operation.Same => $"{T}Same({I(Kernel)}, {I(Dilation)}{rule})",
                Operation.Transposed => $"{T}Transposed({I(Kernel)}, {I(Stride)}, {I(Padding)}, {I(OutputPadding)}, {I(Dilation)})",
                Operation.Scale => $"{T}Scale({ScaleFactor.ToString("R", System.Globalization.CultureInfo.InvariantCulture)})",
                Operation.Resize => $"{T}Resize({I(Size)})",
                Operation.Tap => $"{T}Tap()",
                Operation.Merge => $"{T}Merge({I(Reference)})",
                Operation.Project => $"{T}Project({I(Reference)}, {I(Stride)})",
                Operation.Broadcast => $"{T}Broadcast({I(Reference)})",
                _ => $"{T}Resume({I(Reference)})",
            };
        }

        public override string ToString() => ToSource().Replace("global::ModelDsl.AxisStep.", "");
    }
}
