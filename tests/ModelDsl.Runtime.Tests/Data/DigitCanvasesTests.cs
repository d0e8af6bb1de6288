using ModelDsl.Data;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Data;

public class DigitCanvasesTests
{
    [Fact]
    public void Canvases_read_back_through_the_user_readers_with_equal_boxes_and_masks_on_the_ink()
    {
        using var dir = new TempDir();
        using var mnist = BundledData.LoadMnist(train: false);
        var split = DigitCanvases.Write(dir.Sub("test"), mnist, count: 200, seed: 11);
        Assert.Equal(200, split.Canvases.Count);
        var perCanvas = split.Canvases.Select(c => c.Boxes.Count).ToArray();
        Assert.InRange(perCanvas.Min(), 1, 1);
        Assert.Equal(5, perCanvas.Max());
        Assert.Equal(split.DigitsPlaced, perCanvas.Sum());

        var yolo = DetectionDataset.FromYolo(split.Directory, DigitCanvases.DetectionClasses, new DenseDatasetOptions { Channels = 1 });
        var coco = DetectionDataset.FromCoco(split.ImagesDirectory, split.CocoPath, new DenseDatasetOptions { Channels = 1 });
        var seg = new SegmentationFolderDataset(split.Directory, DigitCanvases.SegmentationClasses, new DenseDatasetOptions { Channels = 1 });
        Assert.Equal((200, 200, 200), (yolo.Count, coco.Count, seg.Count));
        Assert.Equal(DigitCanvases.DetectionClasses, coco.ClassNames);
        Assert.Equal(0, yolo.ImagesWithoutBoxes);
        for (int i = 0; i < 200; i++)
        {
            var written = split.Canvases[i].Boxes;
            var fromYolo = yolo.Labels(i).Boxes;
            var fromCoco = coco.Labels(i).Boxes;
            Assert.Equal(split.Canvases[i].ImagePath, yolo.Labels(i).ImagePath);
            Assert.Equal(written.Count, fromYolo.Count);
            Assert.Equal(written, fromCoco);                       // COCO stores pixels: exact
            for (int j = 0; j < written.Count; j++)
            {
                Assert.Equal(written[j].Class, fromYolo[j].Class);
                Assert.Equal(written[j].X1, fromYolo[j].X1, 1e-6);  // YOLO stores fractions: 9 digits
                Assert.Equal(written[j].Y1, fromYolo[j].Y1, 1e-6);
                Assert.Equal(written[j].X2, fromYolo[j].X2, 1e-6);
                Assert.Equal(written[j].Y2, fromYolo[j].Y2, 1e-6);
            }

            var (image, mask) = seg.Get(i);
            using (image) using (mask)
            {
                var ink = image[0].mul(255).round().gt(127);
                Assert.True(ink.SameAs(mask.gt(0)).item<bool>(), $"canvas {i}: mask pixels are not the ink pixels");
                var m = mask.data<long>().ToArray();
                foreach (var b in written)
                {
                    // The pixels of this digit's class inside its box span exactly the box (ink bounding box).
                    int x1 = 64, y1 = 64, x2 = -1, y2 = -1;
                    for (int y = (int)b.Y1; y < (int)b.Y2; y++)
                        for (int x = (int)b.X1; x < (int)b.X2; x++)
                            if (m[y * 64 + x] == b.Class + 1) { x1 = Math.Min(x1, x); x2 = Math.Max(x2, x); y1 = Math.Min(y1, y); y2 = Math.Max(y2, y); }
                    Assert.Equal((b.X1, b.Y1, b.X2, b.Y2), ((double)x1, (double)y1, (double)x2 + 1, (double)y2 + 1));
                }
                // Every labelled pixel lies in a box of its class; boxes never overlap.
                for (int p = 0; p < m.Length; p++)
                    if (m[p] > 0)
                        Assert.Contains(written, b => b.Class + 1 == m[p] && p % 64 >= b.X1 && p % 64 < b.X2 && p / 64 >= b.Y1 && p / 64 < b.Y2);
                for (int a = 0; a < written.Count; a++)
                    for (int c = a + 1; c < written.Count; c++)
                        Assert.False(written[a].X1 < written[c].X2 && written[c].X1 < written[a].X2 && written[a].Y1 < written[c].Y2 && written[c].Y1 < written[a].Y2);
            }
        }
    }

    [Fact]
    public void Bundled_splits_come_from_their_own_mnist_split_and_are_deterministic()
    {
        using var dir = new TempDir();
        var (train, test) = DigitCanvases.WriteBundled(dir.Sub("bundled"), 20, 10, seed: 3);
        Assert.Equal(20, Directory.GetFiles(train.ImagesDirectory).Length);
        Assert.Equal(10, Directory.GetFiles(test.MasksDirectory).Length);
        Assert.Equal(10, Directory.GetFiles(test.LabelsDirectory).Length);
        // The same canvases again, byte for byte, from the split each should come from (train: seed, test: seed + 1).
        using var trainDigits = BundledData.LoadMnist(train: true);
        using var testDigits = BundledData.LoadMnist(train: false);
        var train2 = DigitCanvases.Write(dir.Sub("train2"), trainDigits, 20, seed: 3);
        var test2 = DigitCanvases.Write(dir.Sub("test2"), testDigits, 10, seed: 4);
        foreach (var (a, b) in new[] { (train, train2), (test, test2) })
            for (int i = 0; i < a.Canvases.Count; i++)
            {
                Assert.Equal(File.ReadAllBytes(a.Canvases[i].ImagePath), File.ReadAllBytes(b.Canvases[i].ImagePath));
                Assert.Equal(File.ReadAllBytes(Path.Combine(a.MasksDirectory, $"{i:D5}.png")), File.ReadAllBytes(Path.Combine(b.MasksDirectory, $"{i:D5}.png")));
                Assert.Equal(a.Canvases[i].Boxes, b.Canvases[i].Boxes);
            }
        // And the other split's digits give other canvases.
        var crossed = DigitCanvases.Write(dir.Sub("crossed"), trainDigits, 10, seed: 4);
        Assert.False(Enumerable.Range(0, 10).All(i => File.ReadAllBytes(test.Canvases[i].ImagePath).SequenceEqual(File.ReadAllBytes(crossed.Canvases[i].ImagePath))));
    }
}
