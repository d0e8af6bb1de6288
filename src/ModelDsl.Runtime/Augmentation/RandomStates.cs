namespace ModelDsl.Augmentation;

/// <summary>
/// How random states made of others are written, once for every composite: two states as one (<see cref="Join"/>, for
/// <see cref="RandomApply"/>/<see cref="RandomChoice"/>), a sequence of parts of which some have none
/// (<see cref="SaveParts"/>, for <see cref="Compose"/> and <see cref="PairedSequential"/>), and a loader's epoch with its
/// augmentation's (<see cref="SaveLoader"/>, for <c>DataLoader</c> and the dense loaders).
/// </summary>
internal static class RandomStates
{
    /// <summary>Two random states as one, each with its length first.</summary>
    public static byte[] Join(byte[] first, byte[] second)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms))
        {
            w.Write(first.Length);
            w.Write(first);
            w.Write(second.Length);
            w.Write(second);
        }
        return ms.ToArray();
    }

    public static (byte[] First, byte[] Second) Split(byte[] state, string owner)
    {
        ArgumentNullException.ThrowIfNull(state);
        try
        {
            using var r = new BinaryReader(new MemoryStream(state));
            var first = r.ReadBytes(r.ReadInt32());
            var second = r.ReadBytes(r.ReadInt32());
            if (r.BaseStream.Position != state.Length) throw new InvalidDataException($"{owner}: unexpected bytes after the random state.");
            return (first, second);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentOutOfRangeException)
        {
            throw new InvalidDataException($"{owner}: the random state ({state.Length} bytes) does not fit; it was saved from another augmentation.", e);
        }
    }

    /// <summary>The parts' count, then each part's state with its length first (−1 for a part without one).</summary>
    public static byte[] SaveParts(IReadOnlyCollection<object> parts)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms))
        {
            w.Write(parts.Count);
            foreach (var part in parts) WriteOptional(w, part);
        }
        return ms.ToArray();
    }

    /// <summary>Puts back what <see cref="SaveParts"/> wrote into the same parts; a state of another pipeline says so, naming <paramref name="owner"/>.</summary>
    public static void LoadParts(byte[] state, IReadOnlyCollection<object> parts, string owner)
    {
        ArgumentNullException.ThrowIfNull(state);
        Read(state, owner, "pipeline", r =>
        {
            int count = r.ReadInt32();
            if (count != parts.Count) throw new InvalidDataException($"{owner}: the random state is of {count} steps; this pipeline has {parts.Count}.");
            foreach (var part in parts) ReadOptional(r, part, owner, $"step {part.GetType().Name}");
        });
    }

    /// <summary>A loader's state: the epoch its next enumeration uses, then its augmentation's state (−1 when it has none).</summary>
    public static byte[] SaveLoader(int epoch, object? augmentation)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms))
        {
            w.Write(epoch);
            WriteOptional(w, augmentation);
        }
        return ms.ToArray();
    }

    /// <summary>Puts back the augmentation's state of <see cref="SaveLoader"/> and returns the epoch.</summary>
    public static int LoadLoader(byte[] state, object? augmentation, string owner)
    {
        ArgumentNullException.ThrowIfNull(state);
        int epoch = 0;
        Read(state, owner, "loader", r =>
        {
            epoch = r.ReadInt32();
            ReadOptional(r, augmentation, owner, "this loader's augmentation");
        });
        return epoch;
    }

    private static void WriteOptional(BinaryWriter w, object? part)
    {
        if (part is IRandomState random)
        {
            var bytes = random.SaveRandomState();
            w.Write(bytes.Length);
            w.Write(bytes);
        }
        else w.Write(-1);
    }

    private static void ReadOptional(BinaryReader r, object? part, string owner, string what)
    {
        int length = r.ReadInt32();
        if ((length >= 0) != part is IRandomState)
            throw new InvalidDataException($"{owner}: the random state " + (length >= 0 ? $"holds one for {what}, but {what} has none." : $"holds none for {what}, but {what} is random."));
        if (length < 0) return;
        var bytes = r.ReadBytes(length);
        if (bytes.Length != length) throw new EndOfStreamException();
        ((IRandomState)part!).LoadRandomState(bytes);
    }

    private static void Read(byte[] state, string owner, string kind, Action<BinaryReader> read)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(state));
            read(r);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{owner}: the random state ({state.Length} bytes) ends early; it was saved from another {kind}.");
        }
    }
}
