using System.Collections;
using ModelDsl.Augmentation;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Data;

/// <summary>
/// What the segmentation and detection loaders share: epochs of <see cref="Batch"/>es (so the Learner
/// takes them as it takes a <see cref="DataLoader"/>), a seeded order per epoch, samples decoded by up to
/// <see cref="Workers"/> threads per batch, the batch moved to <see cref="Device"/> and then put through
/// one paired augmentation there (image, mask and boxes transformed by the same random draw).
/// <para><b>Resuming</b>, as <see cref="DataLoader"/>: <see cref="StartBatch"/> begins the next enumeration part-way
/// through its epoch without decoding the batches before it, and <see cref="SaveRandomState"/> holds the epoch and the
/// augmentation's generators, so a segmentation or detection run killed mid-epoch resumes with the very same batches.</para>
/// </summary>
/// <remarks>
/// A dedicated loader rather than <see cref="DataLoader"/>: that one batches an <see cref="IDataset"/>'s
/// single long label per sample and augments the inputs alone; masks and a variable number of boxes per
/// image need their own collate and an augmentation that sees the targets too.
/// </remarks>
public abstract class DenseDataLoader : IEnumerable<Batch>, IRandomState, IDeviceLoader
{
    private protected DenseDataLoader(int count, int batchSize, bool shuffle, int seed, bool dropLast, int workers, Device? device, IPairedAugmentation? augmentation)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Batch size must be at least 1.");
        if (workers < 0) throw new ArgumentOutOfRangeException(nameof(workers), workers, "Workers must be 0 (decode on the calling thread) or more.");
        if (count == 0) throw new ArgumentException("The dataset is empty.");
        if (dropLast && count < batchSize) throw new ArgumentException($"dropLast with batch size {batchSize} and only {count} samples would give no batches.", nameof(dropLast));
        SampleTotal = count;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;
        Workers = workers;
        PairedUse.Require(augmentation, nameof(augmentation));
        Device = device ?? CPU;
        DeviceChosen = device is not null;
        Augmentation = augmentation;
    }

    private int SampleTotal { get; }
    public int BatchSize { get; }
    public bool Shuffle { get; }
    public int Seed { get; }
    public bool DropLast { get; }
    /// <summary>Threads decoding the samples of one batch (0 or 1: the enumerating thread).</summary>
    public int Workers { get; }
    /// <summary>Where batches are built and augmented: the given device, else the CPU until a Learner gives the loader its own.</summary>
    public Device Device { get; private set; }

    /// <summary>True when a device was given: a Learner on another device then copies each finished batch to its own, and says so.</summary>
    public bool DeviceChosen { get; }

    void IDeviceLoader.Adopt(Device device)
    {
        if (DeviceChosen) throw new InvalidOperationException($"This {GetType().Name} was built for {Device}; it keeps it.");
        Device = device;
    }
    public IPairedAugmentation? Augmentation { get; }
    /// <summary>The epoch the next enumeration uses (its shuffle order derives from Seed and this); the Learner sets it.</summary>
    public int Epoch { get; set; }
    /// <summary>
    /// Leave out a last batch that would hold exactly one sample: a BatchNorm cannot train on one value per channel
    /// (PyTorch raises; libtorch would write NaN into its running variance). The Learner sets it on its training loader
    /// when the model has a BatchNorm; <see cref="Count"/> follows. A shuffled loader leaves out a different sample each epoch.
    /// </summary>
    public bool DropSingleLastBatch { get; set; }

    /// <summary>True when <see cref="DropSingleLastBatch"/> leaves one sample out of each epoch (the last batch would hold 1).</summary>
    public bool DropsOneSample => DropSingleLastBatch && !DropLast && SampleTotal > BatchSize && SampleTotal % BatchSize == 1;

    /// <summary>Batches per epoch.</summary>
    public int Count => DropLast || DropsOneSample ? SampleTotal / BatchSize : (SampleTotal + BatchSize - 1) / BatchSize;

    public int[] Order(int epoch) => EpochOrder.Of(SampleTotal, Shuffle, Seed, epoch);

    /// <summary>
    /// The batch the next enumeration starts at (0 = the whole epoch); it applies to one enumeration and then goes back to 0.
    /// The Learner sets it to resume a checkpoint taken mid-epoch.
    /// </summary>
    public int StartBatch
    {
        get => _startBatch;
        set => _startBatch = value >= 0 && value <= Count ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"The start batch must be in [0, {Count}].");
    }

    private int _startBatch;

    /// <summary><see cref="Epoch"/> and the paired augmentation's random state (when it has one).</summary>
    public byte[] SaveRandomState() => RandomStates.SaveLoader(Epoch, Augmentation);

    public void LoadRandomState(byte[] state) => Epoch = RandomStates.LoadLoader(state, Augmentation, GetType().Name);

    public IEnumerator<Batch> GetEnumerator()
    {
        int start = _startBatch;
        _startBatch = 0;
        return Batches(Order(Epoch++), start);
    }

    private IEnumerator<Batch> Batches(int[] order, int firstBatch)
    {
        int n = Count;
        for (int b = firstBatch; b < n; b++)
        {
            int start = b * BatchSize, len = Math.Min(BatchSize, order.Length - start);
            yield return Next(order.AsSpan(start, len));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One batch of the given samples, augmented on the device, as the loader yields it.</summary>
    public Batch Next(ReadOnlySpan<int> indices)
    {
        using var host = BuildHost(indices);
        using var scope = NewDisposeScope();
        var onDevice = new DenseBatch(ToDevice(host.Images), Opt(host.Masks), Opt(host.Boxes), Opt(host.Classes));
        var final = Augmentation is null ? onDevice : Augmentation.Apply(onDevice);
        var batch = ToBatch(final);
        return new Batch(batch.Inputs.DetachFromDisposeScope(), batch.Targets.DetachFromDisposeScope());
    }

    // An alias on the same device: the host batch is disposed here, whatever to() returns for a no-op move.
    private Tensor ToDevice(Tensor t) => DataLoader.SameDevice(t.device, Device) ? t.alias() : t.to(Device);

    private Tensor? Opt(Tensor? t) => t is null ? null : ToDevice(t);

    /// <summary>The CPU batch of samples <paramref name="indices"/>, owned by the caller.</summary>
    private protected abstract DenseBatch BuildHost(ReadOnlySpan<int> indices);

    private protected abstract Batch ToBatch(DenseBatch batch);

    /// <summary>Runs <paramref name="load"/> for every index, on up to <see cref="Workers"/> threads; results in index order.</summary>
    private protected T[] LoadAll<T>(ReadOnlySpan<int> indices, Func<int, T> load)
    {
        var idx = indices.ToArray();
        var result = new T[idx.Length];
        if (Workers <= 1) for (int i = 0; i < idx.Length; i++) result[i] = load(idx[i]);
        else Parallel.For(0, idx.Length, new ParallelOptions { MaxDegreeOfParallelism = Workers }, i => result[i] = load(idx[i]));
        return result;
    }
}
