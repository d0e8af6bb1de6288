using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// The random state of a ModelDsl augmentation: one torch <see cref="Generator"/> per device, each seeded with the same
/// seed when first used, and their states saved and put back together — the one implementation behind
/// <see cref="RandomAugmentation"/> (image batches) and <see cref="PairedGeometricAugmentation"/> (images with masks and
/// boxes). Not thread-safe: its owner serialises draws and state calls.
/// </summary>
internal sealed class SeededGenerators(long seed, string owner) : IDisposable
{
    private readonly Dictionary<string, Generator> _generators = new();

    /// <summary>The generator of <paramref name="device"/>, created seeded on first use.</summary>
    public Generator For(Device device)
    {
        string key = device.ToString();
        if (!_generators.TryGetValue(key, out var g))
            _generators[key] = g = new Generator(unchecked((ulong)seed), device);
        return g;
    }

    /// <summary>Every generator used so far, by device name, with its torch state (seed and position).</summary>
    public byte[] Save()
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms))
        {
            w.Write(_generators.Count);
            foreach (var (device, g) in _generators.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                using var state = g.get_state();
                var bytes = state.bytes;
                w.Write(device);
                w.Write(bytes.Length);
                w.Write(bytes);
            }
        }
        return ms.ToArray();
    }

    /// <summary>Recreates the saved devices' generators (seeded as usual) and moves each to its saved state; a state that does not parse changes nothing.</summary>
    public void Load(byte[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var saved = new List<(string Device, byte[] Bytes)>();
        try
        {
            using var r = new BinaryReader(new MemoryStream(state));
            int count = r.ReadInt32();
            if (count < 0) throw new InvalidDataException($"{owner}: a random state with {count} generators.");
            for (int i = 0; i < count; i++)
            {
                string device = r.ReadString();
                int length = r.ReadInt32();
                var bytes = r.ReadBytes(length);
                if (bytes.Length != length) throw new EndOfStreamException();
                saved.Add((device, bytes));
            }
            if (r.BaseStream.Position != state.Length) throw new InvalidDataException($"{owner}: {state.Length - r.BaseStream.Position} unexpected bytes after the random state.");
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentOutOfRangeException)
        {
            throw new InvalidDataException($"{owner}: the random state ({state.Length} bytes) ends early; it was saved from another augmentation.", e);
        }
        Dispose();
        foreach (var (device, bytes) in saved)
        {
            var g = For(new Device(device));
            using var t = empty(bytes.Length, ScalarType.Byte);
            t.bytes = bytes;
            g.set_state(t);
        }
    }

    public void Dispose()
    {
        foreach (var g in _generators.Values) g.Dispose();
        _generators.Clear();
    }
}
