using ModelDsl.Data;
using TorchSharp;
using Xunit;

namespace ModelDsl.Runtime.Tests.Data;

public class MnistDatasetTests
{
    [Fact]
    public void Bundled_subset_loads_8000_train_and_2000_test_with_shapes_and_ranges()
    {
        using var train = BundledData.LoadMnist(train: true);
        using var test = BundledData.LoadMnist(train: false);
        Assert.Equal(8000, train.Count);
        Assert.Equal(2000, test.Count);
        Assert.Equal((1, 28, 28), (train.Channels, train.Height, train.Width));
        Assert.Equal(10, train.ClassNames.Count);
        var (img, label) = train.Get(0);
        using (img)
        {
            Assert.Equal(new long[] { 1, 28, 28 }, img.shape);
            Assert.Equal(torch.ScalarType.Float32, img.dtype);
            Assert.InRange(img.min().item<float>(), 0f, 0f);
            Assert.InRange(img.max().item<float>(), 0.5f, 1f);
            Assert.InRange(label, 0, 9);
        }
        // All ten digits occur; labels are int64.
        using var counts = train.Labels.bincount(null);
        Assert.Equal(10, counts.shape[0]);
        Assert.True(counts.min().item<long>() > 500);
        Assert.Equal(torch.ScalarType.Int64, train.Labels.dtype);
    }

    [Fact]
    public void Raw_and_gzipped_files_give_the_same_data_and_dotted_names_are_found()
    {
        using var dir = new TempDir();
        var src = BundledData.MnistDirectory;
        File.WriteAllBytes(dir.Sub("t10k-images.idx3-ubyte"), DataTestFiles.Gunzip(Path.Combine(src, "t10k-images-idx3-ubyte.gz")));
        File.WriteAllBytes(dir.Sub("t10k-labels-idx1-ubyte"), DataTestFiles.Gunzip(Path.Combine(src, "t10k-labels-idx1-ubyte.gz")));
        using var raw = MnistDataset.Load(dir.Path, train: false);
        using var gz = BundledData.LoadMnist(train: false);
        Assert.Equal(gz.Count, raw.Count);
        Assert.True(raw.Images.SameAs(gz.Images).item<bool>());
        Assert.True(raw.Labels.SameAs(gz.Labels).item<bool>());
    }

    [Fact]
    public void Truncated_images_file_names_the_file_and_both_sizes()
    {
        using var dir = new TempDir();
        var full = DataTestFiles.Idx(2051, [10, 28, 28], new byte[10 * 784]);
        File.WriteAllBytes(dir.Sub("train-images-idx3-ubyte"), full[..(full.Length - 100)]);
        File.WriteAllBytes(dir.Sub("train-labels-idx1-ubyte"), DataTestFiles.Idx(2049, [10], new byte[10]));
        var e = Assert.Throws<InvalidDataException>(() => MnistDataset.Load(dir.Path));
        Assert.Contains("train-images-idx3-ubyte", e.Message);
        Assert.Contains(full.Length.ToString(), e.Message);
        Assert.Contains((full.Length - 100).ToString(), e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Truncated_gzip_stream_names_the_file()
    {
        using var dir = new TempDir();
        var gz = DataTestFiles.Gzip(DataTestFiles.Idx(2051, [10, 28, 28], new byte[10 * 784]));
        File.WriteAllBytes(dir.Sub("train-images-idx3-ubyte.gz"), gz[..(gz.Length / 2)]);
        File.WriteAllBytes(dir.Sub("train-labels-idx1-ubyte.gz"), DataTestFiles.Gzip(DataTestFiles.Idx(2049, [10], new byte[10])));
        var e = Assert.Throws<InvalidDataException>(() => MnistDataset.Load(dir.Path));
        Assert.Contains("train-images-idx3-ubyte.gz", e.Message);
    }

    [Fact]
    public void Wrong_magic_number_is_reported_with_both_values()
    {
        using var dir = new TempDir();
        // Labels where images should be: magic 2049 instead of 2051.
        File.WriteAllBytes(dir.Sub("train-images-idx3-ubyte"), DataTestFiles.Idx(2049, [10], new byte[10]));
        File.WriteAllBytes(dir.Sub("train-labels-idx1-ubyte"), DataTestFiles.Idx(2049, [10], new byte[10]));
        var e = Assert.Throws<InvalidDataException>(() => MnistDataset.Load(dir.Path));
        Assert.Contains("2049", e.Message);
        Assert.Contains("2051", e.Message);
        Assert.Contains("train-images-idx3-ubyte", e.Message);
    }

    [Fact]
    public void Image_and_label_counts_that_differ_are_a_clear_error()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.Sub("train-images-idx3-ubyte"), DataTestFiles.Idx(2051, [10, 28, 28], new byte[10 * 784]));
        File.WriteAllBytes(dir.Sub("train-labels-idx1-ubyte"), DataTestFiles.Idx(2049, [9], new byte[9]));
        var e = Assert.Throws<InvalidDataException>(() => MnistDataset.Load(dir.Path));
        Assert.Contains("10 images", e.Message);
        Assert.Contains("9 labels", e.Message);
    }

    [Fact]
    public void Missing_files_say_where_to_put_them()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<FileNotFoundException>(() => MnistDataset.Load(dir.Path));
        Assert.Contains("train-images-idx3-ubyte", e.Message);
        Assert.Contains(dir.Path, e.Message);
    }
}
