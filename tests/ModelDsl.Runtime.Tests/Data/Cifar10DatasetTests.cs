using ModelDsl.Data;
using TorchSharp;
using Xunit;

namespace ModelDsl.Runtime.Tests.Data;

public class Cifar10DatasetTests
{
    [Fact]
    public void Real_format_batches_load_with_names_labels_and_planar_pixels()
    {
        using var dir = new TempDir();
        DataTestFiles.WriteCifar(dir.Sub("cifar-10-batches-bin"), perBatch: 4, test: 3);
        using var train = Cifar10Dataset.Load(dir.Path, train: true);   // parent folder accepted
        using var test = Cifar10Dataset.Load(dir.Sub("cifar-10-batches-bin"), train: false);
        Assert.Equal(20, train.Count);
        Assert.Equal(3, test.Count);
        Assert.Equal("airplane", train.ClassNames[0]);
        Assert.Equal(10, train.ClassNames.Count);
        Assert.Equal((3, 32, 32), (train.Channels, train.Height, train.Width));
        // Record 1 of data_batch_1: label (1+1)%10, channel c pixel i = (1 + 100 + 7c + i) % 256.
        var (img, label) = train.Get(1);
        using (img)
        {
            Assert.Equal(2, label);
            Assert.Equal(new long[] { 3, 32, 32 }, img.shape);
            Assert.Equal((101 + 7 + 33) / 255f, img[1, 1, 1].item<float>(), 5);
            Assert.Equal((101 + 14 + 5) / 255f, img[2, 0, 5].item<float>(), 5);
        }
    }

    [Fact]
    public void Truncated_batch_names_file_expected_and_actual_bytes()
    {
        using var dir = new TempDir();
        DataTestFiles.WriteCifar(dir.Path);
        var path = Path.Combine(dir.Path, "test_batch.bin");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 10)]);
        var e = Assert.Throws<InvalidDataException>(() => Cifar10Dataset.Load(dir.Path, train: false));
        Assert.Contains("test_batch.bin", e.Message);
        Assert.Contains((bytes.Length - 10).ToString(), e.Message);
        Assert.Contains(bytes.Length.ToString(), e.Message);
    }

    [Fact]
    public void Missing_batch_file_is_named()
    {
        using var dir = new TempDir();
        DataTestFiles.WriteCifar(dir.Path);
        File.Delete(Path.Combine(dir.Path, "data_batch_3.bin"));
        var e = Assert.Throws<FileNotFoundException>(() => Cifar10Dataset.Load(dir.Path));
        Assert.Contains("data_batch_3.bin", e.Message);
    }
}
