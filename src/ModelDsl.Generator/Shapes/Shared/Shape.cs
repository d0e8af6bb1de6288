// Compiled into both the generator (internal) and the runtime (public, see Runtime/Shape.Public.cs).
using System;
using System.Text;

namespace ModelDsl
{
    /// <summary>
    /// The shape of one sample, without the batch dimension: C×H×W for a feature map, F for a flat
    /// vector. Immutable, compared by value.
    /// </summary>
    readonly partial struct Shape : IEquatable<Shape>
    {
        private readonly long _d0, _d1, _d2;

        /// <summary>Number of dimensions: 3 for a feature map, 1 for a flat vector.</summary>
        public int Rank { get; }

        /// <summary>A C×H×W feature map.</summary>
        public Shape(long channels, long height, long width)
        {
            Rank = 3; _d0 = channels; _d1 = height; _d2 = width;
        }

        /// <summary>A flat vector of <paramref name="features"/> values.</summary>
        public Shape(long features)
        {
            Rank = 1; _d0 = features; _d1 = 0; _d2 = 0;
        }

        public bool IsFeatureMap => Rank == 3;
        public bool IsFlat => Rank == 1;

        public long Channels => Rank == 3 ? _d0 : throw new InvalidOperationException($"{this} is not a C×H×W feature map.");
        public long Height => Rank == 3 ? _d1 : throw new InvalidOperationException($"{this} is not a C×H×W feature map.");
        public long Width => Rank == 3 ? _d2 : throw new InvalidOperationException($"{this} is not a C×H×W feature map.");
        public long Features => Rank == 1 ? _d0 : throw new InvalidOperationException($"{this} is not a flat vector.");

        /// <summary>Number of scalars in one sample (C·H·W or F); OverflowException past 2^63 − 1, never a wrapped count.</summary>
        public long Elements => Rank == 3 ? checked(_d0 * _d1 * _d2) : _d0;

        public long this[int dim] => dim switch
        {
            0 when Rank >= 1 => _d0,
            1 when Rank == 3 => _d1,
            2 when Rank == 3 => _d2,
            _ => throw new ArgumentOutOfRangeException(nameof(dim), $"{this} has {Rank} dimension(s)."),
        };

        /// <summary>The dimensions as an array, e.g. for <c>torch.zeros</c> after prepending a batch size.</summary>
        public long[] ToArray() => Rank == 3 ? new[] { _d0, _d1, _d2 } : new[] { _d0 };

        /// <summary>The dimensions with a leading batch dimension: N×C×H×W or N×F.</summary>
        public long[] WithBatch(long batch) => Rank == 3 ? new[] { batch, _d0, _d1, _d2 } : new[] { batch, _d0 };

        public bool Equals(Shape other) => Rank == other.Rank && _d0 == other._d0 && _d1 == other._d1 && _d2 == other._d2;
        public override bool Equals(object? obj) => obj is Shape s && Equals(s);
        public override int GetHashCode() => unchecked((((Rank * 397) ^ _d0.GetHashCode()) * 397 ^ _d1.GetHashCode()) * 397 ^ _d2.GetHashCode());
        public static bool operator ==(Shape a, Shape b) => a.Equals(b);
        public static bool operator !=(Shape a, Shape b) => !a.Equals(b);

        /// <summary>"64×16×16" or "4096" — the notation of the diagnostics and summaries.</summary>
        public override string ToString()
        {
            if (Rank == 0) return "?";
            var sb = new StringBuilder();
            sb.Append(_d0);
            if (Rank == 3) sb.Append('×').Append(_d1).Append('×').Append(_d2);
            return sb.ToString();
        }

        /// <summary>Formats a full tensor shape (with batch) the same way: "8×1×28×28".</summary>
        public static string Format(long[] dims) => dims.Length == 0 ? "scalar" : string.Join("×", dims);
    }
}
