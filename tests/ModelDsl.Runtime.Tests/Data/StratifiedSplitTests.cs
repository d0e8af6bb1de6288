using ModelDsl.Data;
using SkiaSharp;
using Xunit;

namespace ModelDsl.Runtime.Tests.Data;

public class StratifiedSplitTests
{
    [Fact]
    public void Each_class_keeps_its_share_the_parts_are_disjoint_and_the_seed_decides()
    {
        // Classes of 50, 10, 3, 1 samples, interleaved.
        var labels = new List<long>();
        for (int i = 0; i < 50; i++) labels.Add(0);
        for (int i = 0; i < 10; i++) labels.Add(1);
        labels.AddRange([2, 2, 2, 3]);
        var shuffled = labels.OrderBy(l => (l * 7919) % 13).ThenBy(l => l).ToArray();

        var (train, valid) = StratifiedSplit.Indices(shuffled, 0.2, seed: 5);

        Assert.Equal(Enumerable.Range(0, shuffled.Length), train.Concat(valid).Order());
        int Count(int[] part, long label) => part.Count(i => shuffled[i] == label);
        Assert.Equal((10, 40), (Count(valid, 0), Count(train, 0)));
        Assert.Equal((2, 8), (Count(valid, 1), Count(train, 1)));
        Assert.Equal((1, 2), (Count(valid, 2), Count(train, 2)));   // round(0.6) = 1: a small class still gets one
        Assert.Equal((0, 1), (Count(valid, 3), Count(train, 3)));   // a single sample stays in train
        Assert.Equal(train.Order(), train);

        Assert.Equal(valid, StratifiedSplit.Indices(shuffled, 0.2, seed: 5).Valid);
        Assert.NotEqual(valid, StratifiedSplit.Indices(shuffled, 0.2, seed: 6).Valid);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void A_fraction_outside_0_1_is_refused(double fraction)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => StratifiedSplit.Indices([0, 1], fraction, 0));
        Assert.Contains("between 0 and 1", e.Message);
    }

    [Fact]
    public void A_folder_split_reads_the_inner_images_through_the_subset()
    {
        using var dir = new TempDir();
        for (int c = 0; c < 2; c++)
            for (int i = 0; i < 5; i++)
            {
                using var bmp = DataTestFiles.Pattern(4 + i, 4, gray: true);
                DataTestFiles.WriteEncoded(dir.Sub($"class{c}", $"{i}.png"), bmp, SKEncodedImageFormat.Png);
            }
        var folder = new ImageFolderDataset(dir.Path, new ImageFolderOptions { Channels = 1, Height = 4, Width = 4 });

        var (train, valid) = StratifiedSplit.Split(folder, 0.4, seed: 1);

        Assert.Equal((6, 4), (train.Count, valid.Count));
        Assert.Equal(folder.ClassNames, valid.ClassNames);
        Assert.Equal((1, 4, 4), (valid.Channels, valid.Height, valid.Width));
        for (int k = 0; k < valid.Count; k++)
        {
            int inner = valid.Indices[k];
            var expected = new float[16];
            long label = folder.WriteSample(inner, expected);
            var floats = new float[16];
            Assert.Equal(label, valid.WriteSample(k, floats));
            Assert.Equal(expected, floats);
            var bytes = new byte[16];
            Assert.Equal(label, valid.WriteSampleBytes(k, bytes));
            Assert.Equal(expected.Select(v => (byte)MathF.Round(v * 255)), bytes);
            var (image, got) = valid.Get(k);
            using (image) Assert.Equal(expected, image.data<float>().ToArray());
            Assert.Equal(label, got);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => valid.Get(valid.Count));
    }
}
