// Compiled into both the generator (internal) and the runtime (public, see Runtime/Shape.Public.cs).
using System;
using System.Collections.Generic;
using System.Text;

namespace ModelDsl
{
    /// <summary>
    /// The shape of one sample, without the batch dimension: C×H×W for a feature map, F for a flat
    /// vector, and ranks 2 and 4 for what a Reshape or Permute makes (e.g. a YOLO head's S×S×(B·5+C)).
    /// Immutable, compared by value.
    /// </summary>
    readonly partial struct Shape : IEquatable<Shape>
    {
        /// <summary>The largest rank a per-sample shape may have (N×4 dimensions with the batch).</summary>
        public const int MaxRank = 4;

        private readonly long _d0, _d1, _d2, _d3;

        /// <summary>Number of dimensions: 3 for a feature map, 1 for a flat vector, 2 or 4 after a Reshape or Permute.</summary>
        public int Rank { get; }

        /// <summary>A C×H×W feature map.</summary>
        public Shape(long channels, long height, long width)
        {
            Rank = 3; _d0 = channels; _d1 = height; _d2 = width; _d3 = 0;
        }

        /// <summary>A flat vector of <paramref name="features"/> values.</summary>
        public Shape(long features)
        {
            Rank = 1; _d0 = features; _d1 = 0; _d2 = 0; _d3 = 0;
        }

        /// <summary>A rank-2 sample, e.g. 49×30.</summary>
        public Shape(long d0, long d1)
        {
            Rank = 2; _d0 = d0; _d1 = d1; _d2 = 0; _d3 = 0;
        }

        /// <summary>A rank-4 sample, e.g. 2×7×7×15.</summary>
        public Shape(long d0, long d1, long d2, long d3)
        {
            Rank = 4; _d0 = d0; _d1 = d1; _d2 = d2; _d3 = d3;
        }

        /// <summary>The shape with these dimensions (1 to <see cref="MaxRank"/> of them).</summary>
        public static Shape Of(IReadOnlyList<long> dims) => dims.Count switch
        {
            1 => new Shape(dims[0]),
            2 => new Shape(dims[0], dims[1]),
            3 => new Shape(dims[0], dims[1], dims[2]),
            4 => new Shape(dims[0], dims[1], dims[2], dims[3]),
            _ => throw new ArgumentException($"A per-sample shape has 1 to {MaxRank} dimensions, not {dims.Count}.", nameof(dims)),
        };

        public bool IsFeatureMap => Rank == 3;
        public bool IsFlat => Rank == 1;

        public long Channels => Rank == 3 ? _d0 : throw new InvalidOperationException($"{this} is not a C×H×W feature map.");
        public long Height => Rank == 3 ? _d1 : throw new InvalidOperationException($"{this} is not a C×H×W feature map.");
        public long Width => Rank == 3 ? _d2 : throw new InvalidOperationException($"{this} is not a C×H×W feature map.");
        public long Features => Rank == 1 ? _d0 : throw new InvalidOperationException($"{this} is not a flat vector.");

        /// <summary>Number of scalars in one sample (the product of the dimensions); OverflowException past 2^63 − 1, never a wrapped count.</summary>
        public long Elements
        {
            get
            {
                long n = 1;
                for (int i = 0; i < Rank; i++) n = checked(n * this[i]);
                return n;
            }
        }

        public long this[int dim] => dim >= 0 && dim < Rank
            ? dim switch { 0 => _d0, 1 => _d1, 2 => _d2, _ => _d3 }
            : throw new ArgumentOutOfRangeException(nameof(dim), $"{this} has {Rank} dimension(s).");

        /// <summary>The dimensions as an array, e.g. for <c>torch.zeros</c> after prepending a batch size.</summary>
        public long[] ToArray()
        {
            var dims = new long[Rank];
            for (int i = 0; i < Rank; i++) dims[i] = this[i];
            return dims;
        }

        /// <summary>The dimensions with a leading batch dimension: N×C×H×W, N×F, …</summary>
        public long[] WithBatch(long batch)
        {
            var dims = new long[Rank + 1];
            dims[0] = batch;
            for (int i = 0; i < Rank; i++) dims[i + 1] = this[i];
            return dims;
        }

        public bool Equals(Shape other) => Rank == other.Rank && _d0 == other._d0 && _d1 == other._d1 && _d2 == other._d2 && _d3 == other._d3;
        public override bool Equals(object? obj) => obj is Shape s && Equals(s);
        public override int GetHashCode() => unchecked(((((Rank * 397) ^ _d0.GetHashCode()) * 397 ^ _d1.GetHashCode()) * 397 ^ _d2.GetHashCode()) * 397 ^ _d3.GetHashCode());
        public static bool operator ==(Shape a, Shape b) => a.Equals(b);
        public static bool operator !=(Shape a, Shape b) => !a.Equals(b);

        /// <summary>"64×16×16" or "4096" — the notation of the diagnostics and summaries.</summary>
        public override string ToString()
        {
            if (Rank == 0) return "?";
            var sb = new StringBuilder();
            for (int i = 0; i < Rank; i++)
            {
                if (i > 0) sb.Append('×');
                sb.Append(this[i]);
            }
            return sb.ToString();
        }

        /// <summary>Formats a full tensor shape (with batch) the same way: "8×1×28×28".</summary>
        public static string Format(long[] dims) => dims.Length == 0 ? "scalar" : string.Join("×", dims);
    }
}
