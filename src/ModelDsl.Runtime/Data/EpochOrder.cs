namespace ModelDsl.Data;

/// <summary>
/// The sample order of an epoch for every loader (<see cref="DataLoader"/> and the dense loaders): the identity,
/// or a permutation drawn from (seed, epoch) by a Fisher–Yates shuffle over SplitMix64 — its own generator rather
/// than System.Random, so orders never change with the .NET version, and loaders with one seed over datasets of
/// one size visit the samples in the same order.
/// </summary>
internal static class EpochOrder
{
    public static int[] Of(int count, bool shuffle, int seed, int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        if (!shuffle) return order;
        ulong state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)epoch * 0xD1B54A32D192ED03UL ^ 0x5DEECE66DUL);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = (int)(Next(ref state) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private static ulong Next(ref ulong s)
    {
        ulong z = s += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
