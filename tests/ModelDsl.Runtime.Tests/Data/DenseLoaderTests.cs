using ModelDsl.Augmentation;
using ModelDsl.Data;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Data;

/// <summary>In-memory dense datasets: sample i is an image of value i/100 with a mask of class i mod 3 and i mod 4 boxes.</summary>
internal sealed class MemoryDenseData(int n) : ISegmentationDataset, IDetectionDataset
{
    public int Count => n;
    public IReadOnlyList<string> ClassNames => ["a", "b", "c"];
    public int Channels => 1;
    public int Height => 12;
    public int Width => 16;
    public int IgnoreIndex => 255;

    (Tensor Image, Tensor Mask) ISegmentationDataset.Get(int index) =>
        (full([1, 12, 16], index / 100f), full([12, 16], (long)(index % 3), ScalarType.Int64));

    (Tensor Image, IReadOnlyList<LabeledBox> Boxes) IDetectionDataset.Get(int index) =>
        (full([1, 12, 16], index / 100f), Enumerable.Range(0, index % 4).Select(k => new LabeledBox(k % 3, k, k, k + 4, k + 5)).ToArray());
}

public class DenseLoaderTests
{
    private static long Live()
    {
        var s = DisposeScopeManager.Statistics;
        return s.CreatedInScopeCount + s.CreatedOutsideScopeCount - s.DisposedInScopeCount - s.DisposedOutsideScopeCount;
    }

    private static IPairedAugmentation AllOps() => new PairedSequential(
        new PairedHorizontalFlip(seed: 1), new PairedVerticalFlip(seed: 2), new PairedRandomCrop(10, 14, padding: 2, seed: 3),
        new PairedRandomResizedCrop(12, 16, scale: (0.5, 1), seed: 4), new PairedRandomAffine(20, (0.1, 0.1), (0.9, 1.1), seed: 5));

    [Fact]
    public void No_tensor_leaks_over_epochs_with_and_without_paired_augmentation()
    {
        var data = new MemoryDenseData(12);
        var loaders = new DenseDataLoader[]
        {
            new SegmentationDataLoader(data, 5, shuffle: true), new SegmentationDataLoader(data, 5, shuffle: true, augmentation: AllOps()),
            new DetectionDataLoader(data, 5, shuffle: true), new DetectionDataLoader(data, 5, shuffle: true, augmentation: AllOps()),
        };
        foreach (var loader in loaders)
        {
            foreach (var b in loader) b.Dispose();   // warm-up: lazily created generators
            long before = Live();
            for (int epoch = 0; epoch < 2; epoch++)
                foreach (var b in loader) b.Dispose();
            Assert.Equal(before, Live());
        }
    }

    [Fact]
    public void Order_count_and_epoch_follow_the_data_loader_conventions()
    {
        var data = new MemoryDenseData(23);
        var seg = new SegmentationDataLoader(data, 5, shuffle: true, seed: 9, dropLast: true);
        Assert.Equal(4, seg.Count);
        using var same = new TensorDataset(zeros(23, 1, 2, 2), zeros(23, ScalarType.Int64));
        Assert.Equal(new DataLoader(same, 5, shuffle: true, seed: 9).Order(2), seg.Order(2));   // one shuffle rule for all loaders
        seg.Epoch = 2;
        var values = new List<float>();
        foreach (var b in seg)
            using (b)
            {
                Assert.Equal(new long[] { 5, 12, 16 }, b.Targets.shape);
                values.AddRange(b.Inputs[.., 0, 0, 0].data<float>().ToArray());
                // Each mask belongs to its own image (image value i/100, mask class i mod 3).
                var idx = (b.Inputs[.., 0, 0, 0] * 100).round().to_type(ScalarType.Int64);
                Assert.True(b.Targets[.., 0, 0].SameAs(idx.remainder(3)).item<bool>());
            }
        Assert.Equal(seg.Order(2).Take(20).Select(i => i / 100f), values, (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.Equal(3, seg.Epoch);

        var det = new DetectionDataLoader(data, 4, workers: 3);
        var batches = det.ToList();
        try
        {
            Assert.Equal(6, batches.Count);
            Assert.Equal(new long[] { 4, 3, 5 }, batches[0].Targets.shape);   // samples 0..3 hold 0..3 boxes
            var (boxes, classes) = DetectionTargets.Unpack(batches[0].Targets);
            using (boxes) using (classes)
            {
                var lists = DetectionTargets.ToLists(boxes, classes);
                Assert.Equal([0, 1, 2, 3], lists.Select(l => l.Count));
                Assert.Equal(new LabeledBox(2, 2, 2, 6, 7), lists[3][2]);
            }
        }
        finally { foreach (var b in batches) b.Dispose(); }

        // A target encoder replaces the packing (here: boxes per image, and their summed widths).
        var counting = new DetectionDataLoader(data, 4, targetEncoder: (bx, cl) => stack([cl.ge(0).sum(1).to_type(ScalarType.Float32), (bx.select(2, 2) - bx.select(2, 0)).sum(1)], 1));
        using var first = counting.First();
        Assert.Equal(new float[] { 0, 0, 1, 4, 2, 8, 3, 12 }, first.Targets.flatten().data<float>().ToArray());
    }

    [Fact]
    public void A_dense_loader_saved_mid_epoch_resumes_with_the_same_augmented_batches()
    {
        // Segmentation and detection alike: two batches in, the state saved; a new loader (another process in spirit) puts it
        // back, starts at batch 2 without decoding the first two, and yields exactly what the uninterrupted loader did.
        var data = new MemoryDenseData(23);
        foreach (var make in new Func<DenseDataLoader>[]
                 {
                     () => new SegmentationDataLoader(data, 5, shuffle: true, seed: 4, augmentation: AllOps()),
                     () => new DetectionDataLoader(data, 5, shuffle: true, seed: 4, augmentation: AllOps()),
                 })
        {
            var straight = make();
            straight.Epoch = 1;
            var expected = straight.Select(b => (b.Inputs.clone(), b.Targets.clone())).ToList();

            var interrupted = make();
            interrupted.Epoch = 1;
            byte[] state;
            using (var batches = interrupted.GetEnumerator())
            {
                for (int i = 0; i < 2; i++) { Assert.True(batches.MoveNext()); batches.Current.Dispose(); }
                state = interrupted.SaveRandomState();
            }

            var resumed = make();
            resumed.LoadRandomState(state);
            Assert.Equal(2, resumed.Epoch);   // the epoch after the one in progress, as DataLoader's
            resumed.Epoch = 1;                // the Learner sets the epoch it resumes
            resumed.StartBatch = 2;
            var rest = resumed.ToList();
            Assert.Equal(expected.Count - 2, rest.Count);
            for (int i = 0; i < rest.Count; i++)
            {
                Assert.True(rest[i].Inputs.eq(expected[i + 2].Item1).all().item<bool>(), $"{make().GetType().Name} batch {i + 2}: images differ");
                Assert.True(rest[i].Targets.eq(expected[i + 2].Item2).all().item<bool>(), $"{make().GetType().Name} batch {i + 2}: targets differ");
            }
            Assert.Equal(0, resumed.StartBatch); // one enumeration only
            // A loader without augmentation refuses a state that has one, naming itself.
            var plain = new SegmentationDataLoader(data, 5, shuffle: true, seed: 4);
            if (make() is SegmentationDataLoader)
                Assert.Contains("SegmentationDataLoader", Assert.Throws<InvalidDataException>(() => plain.LoadRandomState(state)).Message);
        }
    }
}
