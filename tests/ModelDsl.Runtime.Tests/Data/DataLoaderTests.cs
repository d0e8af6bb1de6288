using ModelDsl.Augmentation;
using ModelDsl.Data;
using SkiaSharp;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Data;

public class DataLoaderTests
{
    /// <summary>Sample i has every pixel = i/1000 and label i % 10, so batch contents reveal the order.</summary>
    private static TensorDataset Indexed(int n, int c = 1, int hw = 4) =>
        new(arange(n, dtype: ScalarType.Float32).div(1000).view(n, 1, 1, 1).expand(n, c, hw, hw).contiguous(),
            arange(n, dtype: ScalarType.Int64).remainder(10));

    private static List<long> Ids(IEnumerable<Batch> loader)
    {
        var ids = new List<long>();
        foreach (var b in loader)
            using (b)
            using (var s = NewDisposeScope())
                ids.AddRange(b.Inputs[.., 0, 0, 0].mul(1000).round().to_type(ScalarType.Int64).data<long>().ToArray());
        return ids;
    }

    [Fact]
    public void Batches_count_shapes_and_drop_last()
    {
        using var ds = Indexed(10);
        var loader = new DataLoader(ds, batchSize: 4);
        Assert.Equal(3, loader.Count);
        var sizes = loader.Select(b => { using (b) return b.Size; }).ToList();
        Assert.Equal([4L, 4, 2], sizes);
        var dropped = new DataLoader(ds, batchSize: 4, dropLast: true);
        Assert.Equal(2, dropped.Count);
        Assert.Equal(8, Ids(dropped).Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), Ids(new DataLoader(ds, 3)));
        foreach (var b in loader)
            using (b)
            {
                Assert.Equal(ScalarType.Float32, b.Inputs.dtype);
                Assert.Equal(ScalarType.Int64, b.Targets.dtype);
                Assert.Equal(new long[] { b.Size, 1, 4, 4 }, b.Inputs.shape);
            }
    }

    [Fact]
    public void Seeded_shuffle_is_reproducible_and_changes_every_epoch()
    {
        using var ds = Indexed(50);
        var a = new DataLoader(ds, 8, shuffle: true, seed: 42);
        var b = new DataLoader(ds, 8, shuffle: true, seed: 42);
        var a1 = Ids(a); var a2 = Ids(a);
        var b1 = Ids(b); var b2 = Ids(b);
        Assert.Equal(a1, b1);
        Assert.Equal(a2, b2);
        Assert.NotEqual(a1, a2);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), a1.Order());
        Assert.NotEqual(a1, Ids(new DataLoader(ds, 8, shuffle: true, seed: 43)));
        // Resuming at epoch 1 reproduces the second epoch.
        var c = new DataLoader(ds, 8, shuffle: true, seed: 42) { Epoch = 1 };
        Assert.Equal(a2, Ids(c));
    }

    [Fact]
    public void Worker_threads_give_the_same_batches_as_single_threaded()
    {
        using var ds = Indexed(37);
        var single = Ids(new DataLoader(ds, 5, shuffle: true, seed: 7));
        var multi = Ids(new DataLoader(ds, 5, shuffle: true, seed: 7, workers: 3, prefetch: 2));
        Assert.Equal(single, multi);

        using var dir = new TempDir();
        for (int i = 0; i < 12; i++)
            using (var bmp = DataTestFiles.Pattern(6, 5 + i % 2))
                DataTestFiles.WriteEncoded(dir.Sub(i % 2 == 0 ? "even" : "odd", $"{i:D2}.png"), bmp, SKEncodedImageFormat.Png);
        var folder = new ImageFolderDataset(dir.Path);
        // The loader's byte path (pooled buffer → one native uint8→float conversion) equals the per-sample Get path,
        // including the resized images (odd ones are 6×6 and get stretched to 6×5; bytes are rounded, so ±0.5/255).
        foreach (var b in new DataLoader(folder, 12))
            using (b)
            {
                var gets = Enumerable.Range(0, 12).Select(i => folder.Get(i).Image).ToArray();
                using var stacked = stack(gets);
                foreach (var g in gets) g.Dispose();
                Assert.True(b.Inputs.allclose(stacked, atol: 0.51 / 255));
            }
        foreach (var (s, m) in new DataLoader(folder, 4, shuffle: true, seed: 1).Zip(new DataLoader(folder, 4, shuffle: true, seed: 1, workers: 2)))
            using (s) using (m)
            {
                Assert.True(s.Inputs.SameAs(m.Inputs).item<bool>());
                Assert.True(s.Targets.SameAs(m.Targets).item<bool>());
            }
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(3, false)]
    [InlineData(0, true)]
    public void StartBatch_begins_one_enumeration_part_way_through_its_epoch(int workers, bool resident)
    {
        using var ds = Indexed(37);
        using var full = new DataLoader(ds, 5, shuffle: true, seed: 7, workers: workers, deviceResident: resident);
        full.Epoch = 2;
        var epoch2 = Ids(full);
        using var resumed = new DataLoader(ds, 5, shuffle: true, seed: 7, workers: workers, deviceResident: resident) { Epoch = 2, StartBatch = 3 };
        Assert.Equal(epoch2.Skip(15), Ids(resumed));
        Assert.Equal(0, resumed.StartBatch);
        Assert.Equal(37, Ids(resumed).Count); // the next epoch is whole again
        resumed.StartBatch = resumed.Count;
        Assert.Empty(Ids(resumed));
        Assert.Throws<ArgumentOutOfRangeException>(() => resumed.StartBatch = resumed.Count + 1);
    }

    [Fact]
    public void Random_state_holds_the_epoch_and_the_augmentation_generators()
    {
        using var ds = Indexed(20, hw: 8);
        DataLoader Make() => new(ds, 5, shuffle: true, seed: 4, augmentation: new Compose(new RandomAffine(30, seed: 1), new GaussianNoise(0.1, seed: 2)));
        using var a = Make();
        foreach (var b in a) b.Dispose();
        var state = a.SaveRandomState();
        var expected = a.Select(b => { using (b) return b.Inputs.clone(); }).ToList();

        using var fresh = Make();
        fresh.LoadRandomState(state);
        Assert.Equal(1, fresh.Epoch);
        var actual = fresh.Select(b => { using (b) return b.Inputs.clone(); }).ToList();
        foreach (var (x, y) in expected.Zip(actual)) Assert.True(x.SameAs(y).item<bool>());
        foreach (var t in expected.Concat(actual)) t.Dispose();

        using var plain = new DataLoader(ds, 5);
        Assert.Contains("this loader's augmentation has none", Assert.Throws<InvalidDataException>(() => plain.LoadRandomState(state)).Message);
    }

    [Fact]
    public void Breaking_out_early_stops_workers_cleanly()
    {
        using var ds = Indexed(100);
        var loader = new DataLoader(ds, 4, workers: 2);
        foreach (var b in loader) { b.Dispose(); break; }
        Assert.Equal(100, Ids(loader).Count);
    }

    [Fact]
    public void Device_resident_mode_gives_the_same_batches()
    {
        using var ds = BundledData.LoadMnist(train: false);
        using var resident = new DataLoader(ds, 256, shuffle: true, seed: 3, deviceResident: true);
        var host = new DataLoader(ds, 256, shuffle: true, seed: 3);
        foreach (var (r, h) in resident.Zip(host))
            using (r) using (h)
            {
                Assert.True(r.Inputs.SameAs(h.Inputs).item<bool>());
                Assert.True(r.Targets.SameAs(h.Targets).item<bool>());
            }
    }

    private static long Live()
    {
        var s = DisposeScopeManager.Statistics;
        return s.CreatedInScopeCount + s.CreatedOutsideScopeCount - s.DisposedInScopeCount - s.DisposedOutsideScopeCount;
    }

    [Fact]
    public void No_tensor_leaks_over_epochs_in_every_mode()
    {
        using var ds = Indexed(64, c: 3, hw: 8);
        var aug = new Compose(new RandomCrop(8, padding: 2, seed: 1), new RandomHorizontalFlip(seed: 2), new ColorJitter(0.2, 0.2, 0.2, 0.05, seed: 3),
                              new RandomAffine(10, (0.1, 0.1), seed: 4), new RandomErasing(seed: 5), new GaussianNoise(0.01, seed: 6), new Normalize([0.5, 0.5, 0.5], [0.2, 0.2, 0.2]));
        using var resident = new DataLoader(ds, 10, shuffle: true, deviceResident: true, augmentation: aug);
        foreach (var loader in new[] { new DataLoader(ds, 10, shuffle: true), new DataLoader(ds, 10, shuffle: true, augmentation: aug), resident })
        {
            foreach (var b in loader) b.Dispose();   // warm-up: lazily created generators, resident copy
            long before = Live();
            for (int epoch = 0; epoch < 4; epoch++)
                foreach (var b in loader)
                    b.Dispose();
            Assert.Equal(before, Live());
        }
    }
}

/// <summary>A dataset with only the IDataset interface (no fast paths), to exercise the Get + stack path.</summary>
internal sealed class PlainDataset(int n, int badIndex = -1) : IDataset
{
    public int Count => n;
    public IReadOnlyList<string> ClassNames => ["a", "b"];
    public int Channels => 2;
    public int Height => 3;
    public int Width => 3;

    public (Tensor Image, long Label) Get(int index) =>
        (index == badIndex ? zeros(2, 4, 4) : full([2, 3, 3], index / 100f), index % 2);
}

public class DataLoaderGenericPathTests
{
    [Fact]
    public void Plain_datasets_are_stacked_and_a_wrong_sample_shape_is_named()
    {
        var loader = new DataLoader(new PlainDataset(7), 3, shuffle: true, seed: 2, workers: 2);
        var seen = new List<float>();
        foreach (var b in loader)
            using (b)
            {
                Assert.Equal(new long[] { b.Size, 2, 3, 3 }, b.Inputs.shape);
                seen.AddRange(b.Inputs[.., 0, 0, 0].data<float>().ToArray());
            }
        Assert.Equal(7, seen.Distinct().Count());
        var bad = new DataLoader(new PlainDataset(7, badIndex: 5), 3);
        var e = Assert.Throws<InvalidDataException>(() => { foreach (var b in bad) b.Dispose(); });
        Assert.Contains("Sample 5", e.Message);
        Assert.Contains("[2, 4, 4]", e.Message);
        Assert.Contains("[2, 3, 3]", e.Message);
    }

    [Fact]
    public void TensorDataset_rejects_mismatched_labels_and_wrong_rank()
    {
        var e = Assert.Throws<ArgumentException>(() => new TensorDataset(zeros(4, 1, 2, 2), zeros(3, dtype: ScalarType.Int64)));
        Assert.Contains("[4, 1, 2, 2]", e.Message);
        Assert.Contains("[3]", e.Message);
        var r = Assert.Throws<ArgumentException>(() => new TensorDataset(zeros(4, 2, 2), zeros(4, dtype: ScalarType.Int64)));
        Assert.Contains("N×C×H×W", r.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(new PlainDataset(3), 0));
    }
}
