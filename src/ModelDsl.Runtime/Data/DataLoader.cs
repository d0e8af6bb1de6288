using ModelDsl.Platform;
using System.Buffers;
using System.Collections;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using ModelDsl.Augmentation;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Data;

/// <summary>
/// Turns an <see cref="IDataset"/> into a sequence of <see cref="Batch"/>es on a device, one epoch per
/// enumeration. The receiver owns every batch it gets and must dispose it (the Learner does).
/// </summary>
/// <remarks>
/// <para><b>Order.</b> With <c>shuffle</c>, epoch e uses a permutation drawn from (seed, e): the same seed
/// gives the same order, and every epoch gets a new one. <see cref="Epoch"/> is the epoch the next
/// enumeration will use; it advances by one per enumeration and can be set (e.g. when resuming).</para>
/// <para><b>Workers.</b> With <c>workers</c> ≥ 1, that many dedicated threads build batches (decoding
/// images for an ImageFolder) and batch b is built by worker b mod N into its own bounded channel, so
/// batches come out in order, identical to the single-threaded ones, with at most <c>prefetch</c> batches
/// waiting. With 0 workers batches are built on the enumerating thread.</para>
/// <para><b>Device.</b> For a CUDA target, workers put batches in pinned memory and the copy to the device
/// is non-blocking, so it overlaps with compute. With <c>deviceResident</c> the whole dataset is moved to
/// the device once (in its storage type: uint8 stays uint8) and batches are cut there with
/// <c>index_select</c>: no per-batch host work or transfer at all.</para>
/// <para><b>Resuming.</b> <see cref="StartBatch"/> makes the next enumeration begin part-way through its
/// epoch without building the batches before it; <see cref="SaveRandomState"/> holds the epoch and the
/// augmentation's generators, so a checkpoint taken mid-epoch continues with the very same batches.</para>
/// <para><b>Augmentation.</b> An optional <see cref="IAugmentation"/> is applied to each batch's inputs
/// after it is on the device, so random augmentation runs batched on the GPU when there is one.</para>
/// </remarks>
public sealed class DataLoader : IEnumerable<Batch>, IRandomState, IDeviceLoader, IDisposable
{
    private readonly object _residentLock = new();
    private Tensor? _residentImages, _residentLabels;

    public DataLoader(IDataset dataset, int batchSize, bool shuffle = false, int seed = 0, bool dropLast = false,
                      int workers = 0, int? prefetch = null, Device? device = null, bool deviceResident = false,
                      IAugmentation? augmentation = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Batch size must be at least 1.");
        if (workers < 0) throw new ArgumentOutOfRangeException(nameof(workers), workers, "Workers must be 0 (build batches on the calling thread) or more.");
        if (dataset.Count == 0) throw new ArgumentException("The dataset is empty.", nameof(dataset));
        Dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;
        Workers = workers;
        Prefetch = Math.Max(1, prefetch ?? 2 * Math.Max(1, workers));
        Device = device ?? CPU;
        DeviceChosen = device is not null;
        DeviceResident = deviceResident;
        Augmentation = augmentation;
        if (DropLast && dataset.Count < batchSize)
            throw new ArgumentException($"dropLast with batch size {batchSize} and only {dataset.Count} samples would give no batches.", nameof(dropLast));
    }

    public IDataset Dataset { get; }
    public int BatchSize { get; }
    public bool Shuffle { get; }
    public int Seed { get; }
    public bool DropLast { get; }
    public int Workers { get; }
    /// <summary>Most batches built ahead of the consumer (with workers).</summary>
    public int Prefetch { get; }
    /// <summary>Where batches are built and augmented: the given device, else the CPU until a Learner gives the loader its own.</summary>
    public Device Device { get; private set; }

    /// <summary>True when a device was given: a Learner on another device then copies each finished batch to its own, and says so.</summary>
    public bool DeviceChosen { get; }

    void IDeviceLoader.Adopt(Device device)
    {
        if (DeviceChosen) throw new InvalidOperationException($"This {GetType().Name} was built for {Device}; it keeps it.");
        lock (_residentLock)
        {
            // A dataset already made resident on the old device is made resident again on the new one, at the next epoch.
            if (_residentImages is not null && !SameDevice(_residentImages.device, device))
            {
                _residentImages.Dispose();
                _residentLabels?.Dispose();
                _residentImages = _residentLabels = null;
            }
            Device = device;
        }
    }
    public bool DeviceResident { get; }
    public IAugmentation? Augmentation { get; }

    /// <summary>The epoch the next enumeration uses (its shuffle order derives from Seed and this).</summary>
    public int Epoch { get; set; }

    /// <summary>
    /// The batch the next enumeration starts at (0 = the whole epoch); it applies to one enumeration
    /// and then goes back to 0. The Learner sets it to resume a checkpoint taken mid-epoch.
    /// </summary>
    public int StartBatch
    {
        get => _startBatch;
        set
        {
            if (value < 0 || value > Count) throw new ArgumentOutOfRangeException(nameof(value), value, $"The start batch must be in [0, {Count}].");
            _startBatch = value;
        }
    }

    private int _startBatch;

    /// <summary>
    /// Leave out a last batch that would hold exactly one sample: a BatchNorm cannot train on one value per channel
    /// (PyTorch raises; libtorch would write NaN into its running variance). The Learner sets it on its training loader
    /// when the model has a BatchNorm; <see cref="Count"/> follows. A shuffled loader leaves out a different sample each epoch.
    /// </summary>
    public bool DropSingleLastBatch { get; set; }

    /// <summary>True when <see cref="DropSingleLastBatch"/> leaves one sample out of each epoch (the last batch would hold 1).</summary>
    public bool DropsOneSample => DropSingleLastBatch && !DropLast && Dataset.Count > BatchSize && Dataset.Count % BatchSize == 1;

    /// <summary>Batches per epoch.</summary>
    public int Count => DropLast || DropsOneSample ? Dataset.Count / BatchSize : (Dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>Samples per epoch (fewer than Dataset.Count with dropLast, or one fewer when a last batch of one is left out).</summary>
    public int SampleCount => DropLast ? Count * BatchSize : DropsOneSample ? Dataset.Count - 1 : Dataset.Count;

    /// <summary>The sample order of <paramref name="epoch"/>: identity without shuffle, else a seeded permutation.</summary>
    public int[] Order(int epoch) => EpochOrder.Of(Dataset.Count, Shuffle, Seed, epoch);

    public IEnumerator<Batch> GetEnumerator()
    {
        int epoch = Epoch++;
        int start = _startBatch;
        _startBatch = 0;
        var order = Order(epoch);
        if (DeviceResident) return IterateResident(order, start);
        return Workers == 0 ? IterateSync(order, start) : IterateWorkers(order, start);
    }

    /// <summary><see cref="Epoch"/> and the augmentation's random state (when it has one).</summary>
    public byte[] SaveRandomState() => RandomStates.SaveLoader(Epoch, Augmentation);

    public void LoadRandomState(byte[] state) => Epoch = RandomStates.LoadLoader(state, Augmentation, nameof(DataLoader));

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private ReadOnlySpan<int> Slice(int[] order, int b) =>
        order.AsSpan(b * BatchSize, Math.Min(BatchSize, order.Length - b * BatchSize));

    private IEnumerator<Batch> IterateSync(int[] order, int start)
    {
        int n = Count;
        for (int b = start; b < n; b++)
            yield return Finish(BuildHostBatch(Dataset, Slice(order, b), pin: false), pinned: false);
    }

    private IEnumerator<Batch> IterateResident(int[] order, int start)
    {
        EnsureResident();
        int n = Count;
        Tensor perm;
        using (var scope = NewDisposeScope())
            perm = torch.tensor(order.Select(i => (long)i).ToArray(), ScalarType.Int64).to(Device).DetachFromDisposeScope();
        try
        {
            for (int b = start; b < n; b++)
            {
                Batch batch;
                using (var scope = NewDisposeScope())
                {
                    long offset = (long)b * BatchSize, len = Math.Min(BatchSize, order.Length - offset);
                    var idx = perm.narrow(0, offset, len);
                    var raw = TensorBatching.Select(_residentImages!, _residentLabels!, idx);
                    batch = new Batch(raw.Inputs.DetachFromDisposeScope(), raw.Targets.DetachFromDisposeScope());
                }
                yield return Finish(batch, pinned: false);
            }
        }
        finally
        {
            perm.Dispose();
        }
    }

    private readonly record struct Slot(Batch Batch, ExceptionDispatchInfo? Error);

    private IEnumerator<Batch> IterateWorkers(int[] order, int start)
    {
        int n = Count, w = Math.Min(Workers, Math.Max(1, n - start));
        bool pin = Device.type == DeviceType.CUDA;
        int capacity = Math.Max(1, (Prefetch + w - 1) / w);
        var channels = new Channel<Slot>[w];
        var threads = new Thread[w];
        using var cts = new CancellationTokenSource();
        var token = cts.Token;
        for (int k = 0; k < w; k++)
        {
            var ch = channels[k] = Channel.CreateBounded<Slot>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
            int first = k;
            threads[k] = new Thread(() => Work(start + first, w, n, order, pin, ch.Writer, token)) { IsBackground = true, Name = $"DataLoader worker {k}" };
            threads[k].Start();
        }
        try
        {
            for (int b = start; b < n; b++)
            {
                var slot = channels[(b - start) % w].Reader.ReadAsync().AsTask().GetAwaiter().GetResult();
                slot.Error?.Throw();
                yield return Finish(slot.Batch, pin);
            }
        }
        finally
        {
            // Early exit (break, exception): stop the workers, then free whatever they had built.
            cts.Cancel();
            foreach (var t in threads) t.Join();
            foreach (var ch in channels)
                while (ch.Reader.TryRead(out var s)) s.Batch.Dispose();
        }
    }

    private void Work(int first, int stride, int n, int[] order, bool pin, ChannelWriter<Slot> writer, CancellationToken token)
    {
        try
        {
            for (int b = first; b < n && !token.IsCancellationRequested; b += stride)
            {
                Slot slot;
                try { slot = new Slot(BuildHostBatch(Dataset, Slice(order, b), pin), null); }
                catch (Exception e) { slot = new Slot(default, ExceptionDispatchInfo.Capture(e)); }
                try { writer.WriteAsync(slot, token).AsTask().GetAwaiter().GetResult(); }
                catch (OperationCanceledException) { slot.Batch.Dispose(); return; }
                if (slot.Error is not null) return;
            }
        }
        finally
        {
            writer.TryComplete();
        }
    }

    /// <summary>
    /// Builds one CPU batch: index_select for tensor-backed datasets, one float buffer filled in place
    /// for <see cref="ISampleWriter"/>s, otherwise per-sample tensors stacked. Everything intermediate is
    /// disposed; the returned tensors belong to no dispose scope.
    /// </summary>
    internal static Batch BuildHostBatch(IDataset dataset, ReadOnlySpan<int> indices, bool pin)
    {
        Batch batch;
        using (var scope = NewDisposeScope())
        {
            Tensor x, y;
            long[] shape = [indices.Length, dataset.Channels, dataset.Height, dataset.Width];
            if (dataset is ITensorStorage storage)
            {
                var idx = torch.tensor(indices.ToArray().Select(i => (long)i).ToArray(), ScalarType.Int64);
                var sel = TensorBatching.Select(storage.Images, storage.Labels, idx);
                (x, y) = (sel.Inputs, sel.Targets);
            }
            else if (dataset is IByteSampleWriter bytesWriter)
            {
                int per = dataset.Channels * dataset.Height * dataset.Width;
                int total = indices.Length * per;
                var labels = new long[indices.Length];
                var buf = ArrayPool<byte>.Shared.Rent(total);
                try
                {
                    for (int i = 0; i < indices.Length; i++)
                        labels[i] = bytesWriter.WriteSampleBytes(indices[i], buf.AsSpan(i * per, per));
                    // frombuffer shares (pins) the pooled array without copying; to_type copies into native
                    // memory, and both borrowing tensors are disposed before the array goes back to the pool.
                    using (var raw = torch.frombuffer(buf, ScalarType.Byte, count: total))
                    using (var view = raw.view(shape))
                        x = view.to_type(ScalarType.Float32);
                    x.div_(KeptScalars.Constant(255.0));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buf);
                }
                y = torch.tensor(labels, ScalarType.Int64);
            }
            else if (dataset is ISampleWriter writer)
            {
                int per = dataset.Channels * dataset.Height * dataset.Width;
                var buf = new float[indices.Length * per];
                var labels = new long[indices.Length];
                for (int i = 0; i < indices.Length; i++)
                    labels[i] = writer.WriteSample(indices[i], buf.AsSpan(i * per, per));
                x = torch.tensor(buf, shape);
                y = torch.tensor(labels, ScalarType.Int64);
            }
            else
            {
                var items = new Tensor[indices.Length];
                var labels = new long[indices.Length];
                for (int i = 0; i < indices.Length; i++)
                {
                    var (img, label) = dataset.Get(indices[i]);
                    if (img.dim() != 3 || img.shape[0] != dataset.Channels || img.shape[1] != dataset.Height || img.shape[2] != dataset.Width)
                        throw new InvalidDataException(
                            $"Sample {indices[i]} has shape [{string.Join(", ", img.shape)}]; the dataset declares [{dataset.Channels}, {dataset.Height}, {dataset.Width}].");
                    items[i] = img;
                    labels[i] = label;
                }
                x = torch.stack(items);
                y = torch.tensor(labels, ScalarType.Int64);
            }
            if (pin) x = x.pin_memory();
            batch = new Batch(x.DetachFromDisposeScope(), y.DetachFromDisposeScope());
        }
        return batch;
    }

    /// <summary>Consumer side: move to the device (non-blocking from pinned memory), augment, hand over unowned tensors.</summary>
    private Batch Finish(Batch host, bool pinned)
    {
        if (SameDevice(host.Inputs.device, Device) && Augmentation is null) return host;
        try
        {
            using var scope = NewDisposeScope();
            var x = SameDevice(host.Inputs.device, Device) ? host.Inputs.alias() : host.Inputs.to(Device, non_blocking: pinned);
            var y = SameDevice(host.Targets.device, Device) ? host.Targets.alias() : host.Targets.to(Device, non_blocking: pinned);
            if (Augmentation is not null) x = Augmentation.Apply(x);
            return new Batch(x.DetachFromDisposeScope(), y.DetachFromDisposeScope());
        }
        finally
        {
            host.Dispose();
        }
    }

    /// <summary>The same device: CPU is CPU, a CUDA device without an index is device 0 (also for the dense loaders and the Learner).</summary>
    internal static bool SameDevice(Device a, Device b) =>
        a.type == b.type && (a.type == DeviceType.CPU || Math.Max(0, a.index) == Math.Max(0, b.index));

    private void EnsureResident()
    {
        lock (_residentLock)
        {
            if (_residentImages is not null) return;
            using var scope = NewDisposeScope();
            Tensor images, labels;
            if (Dataset is ITensorStorage s)
            {
                // On the CPU the storage is shared (alias), not copied; Dispose then frees only our handle.
                images = Device.type == DeviceType.CPU ? s.Images.alias() : s.Images.to(Device);
                labels = Device.type == DeviceType.CPU ? s.Labels.alias() : s.Labels.to(Device);
            }
            else
            {
                // Materialise once through the same batch builder (chunked, so peak host memory stays one chunk).
                var xs = new List<Tensor>();
                var ys = new List<Tensor>();
                var all = Enumerable.Range(0, Dataset.Count).ToArray();
                for (int start = 0; start < all.Length; start += 1024)
                {
                    var b = BuildHostBatch(Dataset, all.AsSpan(start, Math.Min(1024, all.Length - start)), pin: false);
                    xs.Add(b.Inputs.to(Device));
                    ys.Add(b.Targets.to(Device));
                    b.Dispose();
                }
                images = torch.cat(xs);
                labels = torch.cat(ys);
            }
            _residentImages = images.DetachFromDisposeScope();
            _residentLabels = labels.DetachFromDisposeScope();
        }
    }

    /// <summary>Frees the device-resident copy, if any.</summary>
    public void Dispose()
    {
        lock (_residentLock)
        {
            _residentImages?.Dispose();
            _residentLabels?.Dispose();
            _residentImages = _residentLabels = null;
        }
    }
}
