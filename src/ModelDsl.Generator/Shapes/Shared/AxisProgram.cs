// Compiled into both the generator (internal) and the runtime (public, see Runtime/Shape.Public.cs).
using System;
using System.Collections.Generic;

namespace ModelDsl
{
    /// <summary>
    /// One spatial axis of a net as a sequence of <see cref="AxisStep"/>s (the main chain, then each head
    /// resuming from its tap). <see cref="Run"/> gives the size after every step for one input size, or the
    /// step at which PyTorch would reject it. The generator decides acceptance with it at compile time, the
    /// generated <c>forward</c> with the very same steps at run time.
    /// </summary>
    sealed partial class AxisProgram : IEquatable<AxisProgram>
    {
        private readonly AxisStep[] _steps;

        public AxisProgram(params AxisStep[] steps)
        {
            _steps = (AxisStep[])(steps ?? throw new ArgumentNullException(nameof(steps))).Clone();
            for (int i = 0; i < _steps.Length; i++)
                // A Resume may refer to -1, the program's input (an Upsample to the input's size).
                if (_steps[i].Kind is AxisStep.Operation.Merge or AxisStep.Operation.Project or AxisStep.Operation.Resume
                    && (_steps[i].Reference < (_steps[i].Kind == AxisStep.Operation.Resume ? -1 : 0) || _steps[i].Reference >= i))
                    throw new ArgumentException($"Step {i} ({_steps[i]}) refers to step {_steps[i].Reference}, which does not come before it.", nameof(steps));
        }

        public int Count => _steps.Length;

        public AxisStep this[int index] => _steps[index];

        public IReadOnlyList<AxisStep> Steps => _steps;

        /// <summary>
        /// Runs the axis from <paramref name="input"/>, writing the size after step i into
        /// <paramref name="sizes"/>[i] (at least <see cref="Count"/> long). Returns -1 when every step
        /// accepts its input, else the index of the first step that rejects it (<see cref="Count"/> when
        /// the input itself is below 1). Allocates nothing.
        /// </summary>
        public int Run(long input, long[] sizes)
        {
            if (sizes.Length < _steps.Length) throw new ArgumentException($"Need room for {_steps.Length} sizes.", nameof(sizes));
            if (input < 1) return _steps.Length;
            long current = input;
            for (int i = 0; i < _steps.Length; i++)
            {
                if (!TryStep(_steps[i], current, sizes, input, out long next)) return i;
                sizes[i] = current = next;
            }
            return -1;
        }

        /// <summary>True when every step accepts <paramref name="input"/> (an input below 1 never is).</summary>
        public bool Accepts(long input) => input >= 1 && Run(input, new long[_steps.Length]) == -1;

        /// <summary>The size after the last step, or null when the input is rejected.</summary>
        public long? OutputFor(long input) => OutputAt(input, _steps.Length - 1);

        /// <summary>The size after step <paramref name="step"/> (-1: the input itself), or null when the input is rejected anywhere.</summary>
        public long? OutputAt(long input, int step)
        {
            if (input < 1) return null;
            var sizes = new long[_steps.Length];
            if (Run(input, sizes) != -1) return null;
            return step < 0 ? input : sizes[step];
        }

        /// <summary>Why <paramref name="input"/> is rejected, or null when it is accepted.</summary>
        public AxisFailure? Explain(long input)
        {
            if (input < 1) return new AxisFailure(-1, input, input, 0, AxisFailure.Reason.NonPositive);
            var sizes = new long[_steps.Length];
            int failed = Run(input, sizes);
            if (failed == -1) return null;
            long before = failed == 0 ? input : sizes[failed - 1];
            var step = _steps[failed];
            long reference = step.Reference >= 0 ? sizes[step.Reference] : step.Kind == AxisStep.Operation.Resume ? input : 0;
            long output;
            var reason = Classify(step, before, reference, out output);
            return new AxisFailure(failed, before, output, reference, reason);
        }

        // A Resume to step -1 resumes from the input itself (Upsample(SizeOf = "input")).
        private static bool TryStep(AxisStep step, long input, long[] sizes, long programInput, out long output)
            => Classify(step, input, step.Reference >= 0 ? sizes[step.Reference] : step.Kind == AxisStep.Operation.Resume ? programInput : 0, out output) == AxisFailure.Reason.None;

        // One step's output for one input, and what (if anything) PyTorch would object to. Arithmetic is
        // checked: an input so large that a size overflows is rejected rather than wrapped.
        private static AxisFailure.Reason Classify(AxisStep step, long input, long reference, out long output)
        {
            output = input;
            try
            {
                checked
                {
                    switch (step.Kind)
                    {
                        case AxisStep.Operation.Window:
                            if (!PaddingFits(step, input)) return AxisFailure.Reason.PaddingTooLarge;
                            // Guard the formula's own products before calling it (ShapeMath is unchecked).
                            _ = input + 2 * step.Padding + step.Stride + step.Dilation * step.Kernel;
                            output = step.CeilMode
                                ? ShapeMath.PoolOut(input, step.Kernel, step.Stride, step.Padding, step.Dilation, true)
                                : ShapeMath.ConvOut(input, step.Kernel, step.Stride, step.Padding, step.Dilation);
                            return output >= 1 ? AxisFailure.Reason.None : AxisFailure.Reason.NonPositive;
                        case AxisStep.Operation.Same:
                            return PaddingFits(step, input) ? AxisFailure.Reason.None : AxisFailure.Reason.PaddingTooLarge;
                        case AxisStep.Operation.Transposed:
                            _ = (input - 1) * step.Stride + step.Dilation * step.Kernel + step.OutputPadding + 1;
                            output = ShapeMath.ConvTransposeOut(input, step.Kernel, step.Stride, step.Padding, step.OutputPadding, step.Dilation);
                            return output >= 1 ? AxisFailure.Reason.None : AxisFailure.Reason.NonPositive;
                        case AxisStep.Operation.Scale:
                        {
                            double scaled = input * step.ScaleFactor;
                            if (double.IsNaN(scaled) || double.IsInfinity(scaled) || scaled >= 4.0e18) return AxisFailure.Reason.Overflow;
                            output = ShapeMath.UpsampleOut(input, step.ScaleFactor);
                            return output >= 1 ? AxisFailure.Reason.None : AxisFailure.Reason.NonPositive;
                        }
                        case AxisStep.Operation.Resize:
                            output = step.Size;
                            return AxisFailure.Reason.None;
                        case AxisStep.Operation.Merge:
                            return input == reference ? AxisFailure.Reason.None : AxisFailure.Reason.Mismatch;
                        case AxisStep.Operation.Project:
                        {
                            // On a mismatch the output is the projected size, for the message.
                            long projected = ShapeMath.ConvOut(reference, 1, step.Stride, 0, 1);
                            if (projected == input) return AxisFailure.Reason.None;
                            output = projected;
                            return AxisFailure.Reason.Mismatch;
                        }
                        case AxisStep.Operation.Resume:
                            output = reference;
                            return AxisFailure.Reason.None;
                        case AxisStep.Operation.Broadcast:
                            // PyTorch's broadcasting: equal sizes, or a size of 1 stretched to the other.
                            if (input == reference || reference == 1) return AxisFailure.Reason.None;
                            if (input == 1) { output = reference; return AxisFailure.Reason.None; }
                            return AxisFailure.Reason.Mismatch;
                        default: // Tap
                            return AxisFailure.Reason.None;
                    }
                }
            }
            catch (OverflowException)
            {
                return AxisFailure.Reason.Overflow;
            }
        }

        private static bool PaddingFits(AxisStep step, long input) => step.Rule switch
        {
            AxisStep.PaddingRule.LessThanInput => step.Padding < input,
            AxisStep.PaddingRule.AtMostInput => step.Padding <= input,
            _ => true,
        };

        public bool Equals(AxisProgram? other)
        {
            if (other is null || other._steps.Length != _steps.Length) return false;
            for (int i = 0; i < _steps.Length; i++)
                if (!_steps[i].Equals(other._steps[i])) return false;
            return true;
        }

        public override bool Equals(object? obj) => obj is AxisProgram p && Equals(p);

        public override int GetHashCode()
        {
            int h = _steps.Length;
            foreach (var s in _steps) h = unchecked(h * 31 + s.GetHashCode());
            return h;
        }

        /// <summary>The program as a C# expression (what a generated model writes).</summary>
        public string ToSource()
        {
            if (_steps.Length == 0) return "new global::ModelDsl.AxisProgram()";
            var parts = new string[_steps.Length];
            for (int i = 0; i < parts.Length; i++) parts[i] = _steps[i].ToSource();
            return "new global::ModelDsl.AxisProgram(" + string.Join(", ", parts) + ")";
        }

        public override string ToString() => "[" + string.Join(", ", Array.ConvertAll(_steps, s => s.ToString())) + "]";
    }

    /// <summary>Why one axis rejects one input size: the step, its input and output, and what it was compared with.</summary>
    sealed partial class AxisFailure
    {
        public enum Reason
        {
            None,
            /// <summary>The step's output (or the input itself) would be smaller than 1.</summary>
            NonPositive,
            /// <summary>Reflect or circular padding larger than the step's input.</summary>
            PaddingTooLarge,
            /// <summary>A merge whose two sizes differ.</summary>
            Mismatch,
            /// <summary>A size beyond what a tensor can have.</summary>
            Overflow,
        }

        public AxisFailure(int step, long input, long output, long reference, Reason why)
        {
            Step = step; Input = input; Output = output; Reference = reference; Why = why;
        }

        /// <summary>The index of the rejecting step (-1: the input itself is below 1).</summary>
        public int Step { get; }
        public long Input { get; }
        public long Output { get; }
        /// <summary>For a merge: the size of the tapped tensor it must equal.</summary>
        public long Reference { get; }
        public Reason Why { get; }
    }
}
