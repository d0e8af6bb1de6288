// Compiled into both the generator (internal) and the runtime (public, see Runtime/Shape.Public.cs).
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ModelDsl
{
    /// <summary>
    /// Exactly which input sizes one axis of a net accepts, found by running its <see cref="AxisProgram"/>
    /// on every size from 1 to <see cref="Bound"/> (cheap: a few thousand runs of a few dozen steps), and
    /// the pattern they follow, in words: "32, 64, 96, … (multiples of 32)", "any size ≥ 7", "none".
    /// Sizes above the bound are decided by running the program itself, so <see cref="Contains"/> is exact
    /// for every size; only the wording extrapolates the pattern found below the bound.
    /// </summary>
    sealed partial class AcceptedSizes
    {
        /// <summary>The default enumeration bound: larger than any image a CNN is usually fed per axis.</summary>
        public const long DefaultBound = 4096;

        private readonly bool[] _accepted; // index = size, 0 unused
        private readonly long[] _sizes;

        private AcceptedSizes(AxisProgram program, long bound, bool[] accepted)
        {
            Program = program; Bound = bound; _accepted = accepted;
            var sizes = new List<long>();
            for (long n = 1; n <= bound; n++) if (accepted[n]) sizes.Add(n);
            _sizes = sizes.ToArray();
            FindPattern();
        }

        /// <summary>Runs <paramref name="program"/> on every size 1…<paramref name="bound"/>.</summary>
        public static AcceptedSizes Of(AxisProgram program, long bound = DefaultBound)
        {
            if (program is null) throw new ArgumentNullException(nameof(program));
            if (bound < 1 || bound > 1 << 20) throw new ArgumentOutOfRangeException(nameof(bound), bound, "The bound must be in [1, 2^20].");
            var accepted = new bool[bound + 1];
            var buffer = new long[program.Count];
            for (long n = 1; n <= bound; n++) accepted[n] = program.Run(n, buffer) == -1;
            return new AcceptedSizes(program, bound, accepted);
        }

        public AxisProgram Program { get; }

        /// <summary>Sizes up to this bound were enumerated.</summary>
        public long Bound { get; }

        /// <summary>The accepted sizes up to <see cref="Bound"/>, ascending.</summary>
        public IReadOnlyList<long> Sizes => _sizes;

        public bool IsEmpty => _sizes.Length == 0;

        /// <summary>The smallest accepted size, or null when none up to the bound is accepted.</summary>
        public long? Smallest => IsEmpty ? null : _sizes[0];

        /// <summary>
        /// The period of the accepted sizes from <see cref="PatternStart"/> on (1 for "any size ≥ m"), or null
        /// when no period that repeats at least three times below the bound was found.
        /// </summary>
        public long? Period { get; private set; }

        /// <summary>From this size on, a size is accepted exactly when its remainder mod <see cref="Period"/> is one of <see cref="Residues"/>.</summary>
        public long PatternStart { get; private set; }

        /// <summary>The accepted remainders mod <see cref="Period"/>; empty when only finitely many sizes are accepted.</summary>
        public IReadOnlyList<long> Residues { get; private set; } = Array.Empty<long>();

        /// <summary>Whether <paramref name="size"/> is accepted: from the enumeration up to the bound, by running the program above it.</summary>
        public bool Contains(long size)
        {
            if (size < 1) return false;
            return size <= Bound ? _accepted[size] : Program.Accepts(size);
        }

        /// <summary>
        /// The accepted sizes nearest to <paramref name="size"/>: the largest below it and the smallest above
        /// it (searched up to <paramref name="size"/> + <see cref="Bound"/>), each null when there is none.
        /// </summary>
        public (long? Below, long? Above) Nearest(long size)
        {
            long? below = null, above = null;
            for (long n = Math.Min(size - 1, long.MaxValue); n >= 1; n--)
            {
                if (n > Bound && size - n > Bound) break;
                if (Contains(n)) { below = n; break; }
            }
            long limit = size > long.MaxValue - Bound ? long.MaxValue : size + Bound;
            var buffer = new long[Program.Count];
            for (long n = Math.Max(size + 1, 1); n <= limit && n > 0; n++)
            {
                bool ok = n <= Bound ? _accepted[n] : Program.Run(n, buffer) == -1;
                if (ok) { above = n; break; }
            }
            return (below, above);
        }

        /// <summary>
        /// Whether every accepted size gives the same size after step <paramref name="step"/> (e.g. after a
        /// global pool), and which: a Flatten or a Linear needs that. False when no size is accepted.
        /// </summary>
        public bool TryConstantAt(int step, out long value)
        {
            value = 0;
            if (IsEmpty) return false;
            var buffer = new long[Program.Count];
            bool first = true;
            foreach (long n in _sizes)
            {
                Program.Run(n, buffer);
                long at = step < 0 ? n : buffer[step];
                if (first) { value = at; first = false; }
                else if (at != value) return false;
            }
            return true;
        }

        /// <summary>
        /// When no size is accepted: the failure of the size that gets furthest through the net (the
        /// smallest such size), which is what a message should explain. Null when some size is accepted.
        /// </summary>
        public AxisFailure? TypicalFailure()
        {
            if (!IsEmpty) return null;
            var buffer = new long[Program.Count];
            int furthest = int.MinValue;
            long best = 1;
            for (long n = 1; n <= Bound; n++)
            {
                int failed = Program.Run(n, buffer);
                if (failed > furthest) { furthest = failed; best = n; }
            }
            return Program.Explain(best);
        }

        /// <summary>The accepted sizes in words: "32, 64, 96, … (multiples of 32)", "any size ≥ 7", "28 to 36", "none".</summary>
        public string Describe()
        {
            if (IsEmpty) return "none";
            if (Period is not { } p) return $"{List(_sizes.Take(5))}, … ({_sizes.Length} sizes up to {Bound})";
            var head = _sizes.Where(n => n < PatternStart).ToList();
            if (Residues.Count == 0) return Ranges(head);
            var tail = _sizes.Where(n => n >= PatternStart).ToList();
            string pattern;
            if (Residues.Count == p)
                pattern = tail[0] == 1 ? "any size" : $"any size ≥ {tail[0]}";
            else if (Residues.Count == 1)
                pattern = $"{List(tail.Take(3))}, … ({(Residues[0] == 0 ? $"multiples of {p}" : $"{p}·k + {Residues[0]}")})";
            else
                pattern = $"{List(tail.Take(4))}, … (size mod {p} = {Or(Residues)})";
            return head.Count == 0 ? pattern : $"{Ranges(head)}, then {pattern}";
        }

        /// <summary>
        /// "H, W = 32, 64, 96, … (multiples of 32)" when both axes accept the same sizes, else
        /// "H = …; W = …" — the sentence of the summary and the runtime guard.
        /// </summary>
        public static string DescribeInput(AcceptedSizes height, AcceptedSizes width)
        {
            string h = height.Describe(), w = width.Describe();
            return h == w ? $"H, W = {h}" : $"H = {h}; W = {w}";
        }

        // The smallest period p that, from some start on, repeats at least three times below the bound;
        // then the earliest start from which the sizes follow "n mod p in the accepted residues".
        private void FindPattern()
        {
            long bound = Bound;
            for (long p = 1; p <= Math.Min(512, bound / 3); p++)
            {
                long start = bound - p + 1; // the smallest s with accepted[n] == accepted[n+p] for all n in [s, bound−p]
                while (start > 1 && _accepted[start - 1] == _accepted[start - 1 + p]) start--;
                if (bound - start + 1 < 3 * p) continue;
                var residues = new List<long>();
                for (long n = start; n < start + p; n++) if (_accepted[n]) residues.Add(n % p);
                residues.Sort();
                var set = new HashSet<long>(residues);
                long from = start;
                while (from > 1 && _accepted[from - 1] == set.Contains((from - 1) % p)) from--;
                Period = p; PatternStart = from; Residues = residues;
                return;
            }
        }

        private static string List(IEnumerable<long> values) => string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));

        private static string Or(IReadOnlyList<long> values)
            => values.Count == 1 ? values[0].ToString(CultureInfo.InvariantCulture)
                : List(values.Take(values.Count - 1)) + " or " + values[values.Count - 1].ToString(CultureInfo.InvariantCulture);

        // "3, 5 to 9, 12": runs of three or more consecutive sizes are written as a range.
        private static string Ranges(IReadOnlyList<long> sizes)
        {
            var sb = new StringBuilder();
            for (int i = 0; i < sizes.Count;)
            {
                int j = i;
                while (j + 1 < sizes.Count && sizes[j + 1] == sizes[j] + 1) j++;
                if (sb.Length > 0) sb.Append(", ");
                if (j - i >= 2) sb.Append(sizes[i]).Append(" to ").Append(sizes[j]);
                else
                {
                    sb.Append(sizes[i]);
                    if (j > i) sb.Append(", ").Append(sizes[j]);
                }
                i = j + 1;
            }
            return sb.ToString();
        }
    }
}
