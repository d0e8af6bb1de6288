using System;

namespace ModelDsl.Generator.Layers
{
    /// <summary>
    /// Parameter and multiply-add counts, computed with overflow checks. A count past 2^63 − 1 throws
    /// <see cref="CountOverflowException"/> naming what it counted, which the shape engine reports as
    /// MDSL0022 on the layer (the generator compiles with overflow checks on, so nothing wraps silently).
    /// </summary>
    internal static class Counts
    {
        public static long Product(string what, params long[] factors)
        {
            long product = 1;
            try
            {
                foreach (var factor in factors) product = checked(product * factor);
            }
            catch (OverflowException)
            {
                throw new CountOverflowException(what);
            }
            return product;
        }

        public static long Sum(string what, long a, long b)
        {
            try
            {
                return checked(a + b);
            }
            catch (OverflowException)
            {
                throw new CountOverflowException(what);
            }
        }
    }

    /// <summary>A count that does not fit in 64 bits; <see cref="What"/> says which ("its weight count").</summary>
    internal sealed class CountOverflowException : OverflowException
    {
        public CountOverflowException(string what) : base(what + " exceeds 2^63 − 1") => What = what;

        public string What { get; }
    }
}
