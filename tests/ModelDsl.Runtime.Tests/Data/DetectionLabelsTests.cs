using ModelDsl.Data;
using SkiaSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Data;

public class DetectionLabelsTests
{
    private static readonly string[] Classes = ["cat", "dog", "bird"];

    /// <summary>root/images/a.png (40×30), b.png (40×30, no label file), sub/c.png (40×30).</summary>
    private static (string Root, ImageBoxes[] Labels) WriteImages(TempDir dir)
    {
        string root = dir.Sub("set");
        var files = new[] { "a.png", "b.png", Path.Combine("sub", "c.png") };
        foreach (var f in files) DenseTestFiles.WriteRgbPng(Path.Combine(root, "images", f), 40, 30, (x, y) => new SKColor((byte)(x * 6), (byte)(y * 8), 0));
        var labels = new[]
        {
            new ImageBoxes(Path.Combine(root, "images", files[0]), 40, 30, [new LabeledBox(0, 1, 2, 11.5, 20), new LabeledBox(2, 30, 0, 40, 30)]),
            new ImageBoxes(Path.Combine(root, "images", files[1]), 40, 30, []),
            new ImageBoxes(Path.Combine(root, "images", files[2]), 40, 30, [new LabeledBox(1, 0.25, 0.5, 39.75, 29.5)]),
        };
        return (root, labels);
    }

    private static void AssertSame(IReadOnlyList<LabeledBox> want, IReadOnlyList<LabeledBox> got)
    {
        Assert.Equal(want.Count, got.Count);
        for (int i = 0; i < want.Count; i++)
        {
            Assert.Equal(want[i].Class, got[i].Class);
            Assert.Equal(want[i].X1, got[i].X1, 1e-5);
            Assert.Equal(want[i].Y1, got[i].Y1, 1e-5);
            Assert.Equal(want[i].X2, got[i].X2, 1e-5);
            Assert.Equal(want[i].Y2, got[i].Y2, 1e-5);
        }
    }

    [Fact]
    public void Yolo_labels_round_trip_and_images_without_labels_are_counted()
    {
        using var dir = new TempDir();
        var (root, labels) = WriteImages(dir);
        foreach (var l in labels.Where(l => l.Boxes.Count > 0))
            YoloLabels.Write(YoloLabels.LabelPathFor(l.ImagePath), l.Boxes, l.Width, l.Height);
        Assert.Equal(Path.Combine(root, "labels", "sub", "c.txt"), YoloLabels.LabelPathFor(labels[2].ImagePath));
        Assert.Equal("0 0.15625 0.366666667 0.2625 0.6\n2 0.875 0.5 0.25 1\n", File.ReadAllText(Path.Combine(root, "labels", "a.txt")));
        var ds = DetectionDataset.FromYolo(root, Classes);
        Assert.Equal(3, ds.Count);
        Assert.Equal(1, ds.ImagesWithoutBoxes);
        Assert.Equal(1, ds.MissingLabelFiles);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(labels[i].ImagePath, ds.Labels(i).ImagePath);
            var (img, boxes) = ds.Get(i);
            using (img) Assert.Equal(new long[] { 3, 30, 40 }, img.shape);
            AssertSame(labels[i].Boxes, boxes);
        }
    }

    [Fact]
    public void Coco_round_trips_with_gappy_category_ids_and_skips_crowd()
    {
        using var dir = new TempDir();
        var (root, labels) = WriteImages(dir);
        var json = dir.Sub("instances.json");
        CocoDetections.Write(json, Classes, labels, Path.Combine(root, "images"));
        var ds = DetectionDataset.FromCoco(Path.Combine(root, "images"), json);
        Assert.Equal(Classes, ds.ClassNames);
        Assert.Equal(1, ds.ImagesWithoutBoxes);
        for (int i = 0; i < 3; i++) AssertSame(labels[i].Boxes, ds.Labels(i).Boxes);
        Assert.Contains("\"file_name\":\"sub/c.png\"", File.ReadAllText(json));

        // Hand-written COCO as tools emit it: ids with gaps, unsorted categories, a crowd region.
        File.WriteAllText(json, """
            {"images":[{"id":7,"file_name":"a.png","width":40,"height":30}],
             "annotations":[{"id":1,"image_id":7,"category_id":90,"bbox":[1,2,10,5],"area":50,"iscrowd":0},
                            {"id":2,"image_id":7,"category_id":3,"bbox":[0,0,4,4],"area":16,"iscrowd":0},
                            {"id":3,"image_id":7,"category_id":3,"bbox":[0,0,40,30],"area":1200,"iscrowd":1}],
             "categories":[{"id":90,"name":"toothbrush"},{"id":3,"name":"car"}]}
            """);
        var coco = CocoDetections.Read(json, Path.Combine(root, "images"));
        Assert.Equal(["car", "toothbrush"], coco.ClassNames);
        Assert.Equal(1, coco.CrowdSkipped);
        AssertSame([new LabeledBox(1, 1, 2, 11, 7), new LabeledBox(0, 0, 0, 4, 4)], coco.Images[0].Boxes);
    }

    [Theory]
    [InlineData("0 0.5 0.5 0.2", "expected 5 values")]
    [InlineData("0 0.5 0.5 0.2 0.2 0.3 0.3", "polygon")]
    [InlineData("x 0.5 0.5 0.2 0.2", "class 'x' is not an integer")]
    [InlineData("1 0.5 abc 0.2 0.2", "'abc' is not a number")]
    [InlineData("3 0.5 0.5 0.2 0.2", "class index 3 is out of range")]
    [InlineData("-1 0.5 0.5 0.2 0.2", "class index -1 is out of range")]
    [InlineData("0 0.95 0.5 0.2 0.2", "outside the 40×30 image")]
    [InlineData("0 0.5 0.5 0 0.2", "non-positive size")]
    [InlineData("0 0.5 0.5 0.2 -0.1", "non-positive size")]
    public void Malformed_yolo_lines_are_refused_with_file_and_line(string bad, string message)
    {
        using var dir = new TempDir();
        var (root, _) = WriteImages(dir);
        var file = Path.Combine(root, "labels", "sub", "c.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, "1 0.5 0.5 0.2 0.2\n\n" + bad + "\n");
        var e = Assert.Throws<InvalidDataException>(() => DetectionDataset.FromYolo(root, Classes));
        Assert.Contains(file + ":3:", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("""{"images":[{"id":1,"file_name":"a.png","width":40,"height":30}],"annotations":[{"id":5,"image_id":1,"category_id":1,"bbox":[35,0,10,5]}],"categories":[{"id":1,"name":"x"}]}""", "annotation id 5 (image 'a.png'): box class 0 [35, 0, 45, 5] lies outside the 40×30 image")]
    [InlineData("""{"images":[{"id":1,"file_name":"a.png","width":40,"height":30}],"annotations":[{"id":5,"image_id":1,"category_id":1,"bbox":[3,0,0,5]}],"categories":[{"id":1,"name":"x"}]}""", "non-positive size")]
    [InlineData("""{"images":[{"id":1,"file_name":"a.png","width":40,"height":30}],"annotations":[{"id":5,"image_id":1,"category_id":2,"bbox":[3,0,4,5]}],"categories":[{"id":1,"name":"x"}]}""", "category_id 2 is not among the categories")]
    [InlineData("""{"images":[{"id":1,"file_name":"a.png","width":40,"height":30}],"annotations":[{"id":5,"image_id":9,"category_id":1,"bbox":[3,0,4,5]}],"categories":[{"id":1,"name":"x"}]}""", "image_id 9 is not among the images")]
    [InlineData("""{"images":[{"id":1,"file_name":"a.png","width":40,"height":30}],"annotations":[{"id":5,"image_id":1,"category_id":1,"bbox":[3,0,4]}],"categories":[{"id":1,"name":"x"}]}""", "bbox must be [x, y, width, height]")]
    [InlineData("""{"images":[{"id":1,"file_name":"a.png","width":41,"height":30}],"annotations":[],"categories":[{"id":1,"name":"x"}]}""", "is 40×30 but the JSON says 41×30")]
    [InlineData("{\"images\":[\n{\"id\":1,,}]}", ":2: not valid COCO JSON")]
    public void Malformed_coco_is_refused_by_name(string json, string message)
    {
        using var dir = new TempDir();
        var (root, _) = WriteImages(dir);
        var path = dir.Sub("bad.json");
        File.WriteAllText(path, json);
        var e = Assert.Throws<InvalidDataException>(() => DetectionDataset.FromCoco(Path.Combine(root, "images"), path));
        Assert.Contains(path, e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Loader_pads_boxes_per_batch_and_unpacks_them()
    {
        using var dir = new TempDir();
        var (root, labels) = WriteImages(dir);
        foreach (var l in labels) YoloLabels.Write(YoloLabels.LabelPathFor(l.ImagePath), l.Boxes, l.Width, l.Height);
        var ds = DetectionDataset.FromYolo(root, Classes, new DenseDatasetOptions { Channels = 1, Height = 15, Width = 20 });
        Assert.Equal(0, ds.MissingLabelFiles);
        var loader = new DetectionDataLoader(ds, batchSize: 2, workers: 2);
        var batches = loader.ToList();
        try
        {
            Assert.Equal(2, batches.Count);
            Assert.Equal(new long[] { 2, 1, 15, 20 }, batches[0].Inputs.shape);
            Assert.Equal(new long[] { 2, 2, 5 }, batches[0].Targets.shape);   // M = 2, the most boxes in this batch
            Assert.Equal(new long[] { 1, 1, 5 }, batches[1].Targets.shape);
            var (boxes, classes) = DetectionTargets.Unpack(batches[0].Targets);
            using (boxes) using (classes)
            {
                Assert.Equal(new long[] { 0, 2, -1, -1 }, classes.flatten().data<long>().ToArray());
                var lists = DetectionTargets.ToLists(boxes, classes);
                // Stretched to half size: the boxes halve with the image.
                AssertSame(labels[0].Boxes.Select(b => b with { X1 = b.X1 / 2, Y1 = b.Y1 / 2, X2 = b.X2 / 2, Y2 = b.Y2 / 2 }).ToArray(), lists[0]);
                Assert.Empty(lists[1]);
            }
        }
        finally { foreach (var b in batches) b.Dispose(); }
    }
}
