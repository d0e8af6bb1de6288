using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>Applies augmentations in order; each intermediate batch is disposed as soon as the next exists.</summary>
public sealed class Compose(params IAugmentation[] steps) : IAugmentation, IRandomState
{
    public IReadOnlyList<IAugmentation> Steps { get; } = steps;

    public Tensor Apply(Tensor batch)
    {
        var current = batch;
        foreach (var step in Steps)
        {
            var next = step.Apply(current);
            if (!ReferenceEquals(current, batch)) current.Dispose();
            current = next;
        }
        return ReferenceEquals(current, batch) ? batch.alias() : current;
    }

    /// <summary>The random state of every step that has one, in order.</summary>
    public byte[] SaveRandomState()
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms))
        {
            w.Write(Steps.Count);
            foreach (var step in Steps)
            {
                if (step is IRandomState random)
                {
                    var bytes = random.SaveRandomState();
                    w.Write(bytes.Length);
                    w.Write(bytes);
                }
                else w.Write(-1);
            }
        }
        return ms.ToArray();
    }

    public void LoadRandomState(byte[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        try
        {
            using var r = new BinaryReader(new MemoryStream(state));
            int count = r.ReadInt32();
            if (count != Steps.Count) throw new InvalidDataException($"Compose: the random state is of {count} steps; this pipeline has {Steps.Count}.");
            foreach (var step in Steps)
            {
                int length = r.ReadInt32();
                if ((length >= 0) != step is IRandomState)
                    throw new InvalidDataException($"Compose: the random state does not fit step {step.GetType().Name}; it was saved from another pipeline.");
                if (length < 0) continue;
                var bytes = r.ReadBytes(length);
                if (bytes.Length != length) throw new EndOfStreamException();
                ((IRandomState)step).LoadRandomState(bytes);
            }
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"Compose: the random state ({state.Length} bytes) ends early; it was saved from another pipeline.");
        }
    }
}
