using MnistDigits;
using ModelDsl.Augmentation;
using ModelDsl.Data;
using SkiaSharp;
using Xunit;

namespace ModelDsl.Samples.Tests;

/// <summary>
/// The main job's ImageFolder defaults, derived from real PNG/JPEG folders the tests write: channels and
/// input size from the images, the net that fits them, the augmentation, the validation split held out of
/// train/ when there is no test/, each override, and one quick epoch end to end.
/// </summary>
public sealed class FolderDefaultsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("folderdefaults-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] Classes = ["a", "b", "c"];

    /// <summary>Gray 8-bit PNGs, class k a horizontal gradient of slope k + 1, sizes varying around <paramref name="side"/>.</summary>
    private string WriteGray(string name, int side, int perClass, bool test)
    {
        string root = Path.Combine(_dir, name);
        foreach (var split in test ? new[] { "train", "test" } : ["train"])
            for (int k = 0; k < Classes.Length; k++)
                for (int i = 0; i < (split == "train" ? perClass : 2); i++)
                {
                    int w = side + i % 3 - 1, h = side;
                    using var bmp = new SKBitmap(new SKImageInfo(w, h, SKColorType.Gray8, SKAlphaType.Opaque));
                    for (int y = 0; y < h; y++)
                        for (int x = 0; x < w; x++)
                        {
                            byte v = (byte)Math.Min(255, (k + 1) * 20 * x / Math.Max(1, w / 8));
                            bmp.SetPixel(x, y, new SKColor(v, v, v));
                        }
                    Save(bmp, Path.Combine(root, split, Classes[k], $"{i}.png"), SKEncodedImageFormat.Png);
                }
        return root;
    }

    /// <summary>Colour PNGs and JPEGs of width×height, class k mostly red, green or blue.</summary>
    private string WriteColour(string name, int width, int height)
    {
        string root = Path.Combine(_dir, name);
        var colours = new[] { SKColors.Red, SKColors.Green, SKColors.Blue };
        foreach (var split in new[] { "train", "test" })
            for (int k = 0; k < Classes.Length; k++)
                for (int i = 0; i < (split == "train" ? 4 : 2); i++)
                {
                    using var bmp = new SKBitmap(width + 2 * i, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
                    bmp.Erase(colours[k].WithAlpha(255));
                    var format = i % 2 == 0 ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg;
                    Save(bmp, Path.Combine(root, split, Classes[k], $"{i}.{(i % 2 == 0 ? "png" : "jpg")}"), format);
                }
        return root;
    }

    private static void Save(SKBitmap bitmap, string path, SKEncodedImageFormat format)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var data = bitmap.Encode(format, 95);
        File.WriteAllBytes(path, data.ToArray());
    }

    private static JobSettings Settings(string data, FolderSettings? folder = null, int seed = 7) =>
        new(data, 1, 8, 3e-3, "cpu", seed, "out", 0) { Folder = folder ?? new FolderSettings() };

    private static string NetOf(DataChoice choice)
    {
        using var model = (ImageFolderClassifier)choice.CreateModel();
        return model.Net.Name;
    }

    [Fact]
    public void A_gray_folder_of_small_scans_gets_one_channel_the_smallest_net_upscaled_and_mild_augmentation_without_flips()
    {
        var choice = DataChoice.From(Settings(WriteGray("scans", side: 12, perClass: 4, test: true)));

        Assert.Equal((1, 32, 32), (choice.Train.Channels, choice.Train.Height, choice.Train.Width));
        Assert.Equal((1, 32, 32), (choice.Test.Channels, choice.Test.Height, choice.Test.Width));
        Assert.Equal(nameof(FolderFeatures1x32), NetOf(choice));
        var lines = choice.Choices!;
        Assert.Equal(4, lines.Count);
        Assert.StartsWith("channels: 1 — gray: every one of the 18 images has a gray header", lines[0]);
        Assert.StartsWith("size: 32×32 — median image 12×12, upscaled to the smallest net size", lines[1]);
        Assert.EndsWith("net FolderFeatures1x32", lines[1]);
        Assert.Contains("rotate ±10°, zoom 1–1.1×, shift ±10%", lines[2]);
        Assert.Contains("no flips (--flip to add)", lines[2]);
        Assert.Equal("validation: test/ (6 images)", lines[3]);

        var augmentation = choice.TrainAugmentation(1);
        Assert.Collection(augmentation,
            a => Assert.Equal((10.0, (0.1, 0.1), (1.0, 1.1)), (((RandomAffine)a).Degrees, ((RandomAffine)a).Translate, ((RandomAffine)a).Scale)),
            a => Assert.Equal((0.2, 0.2, 0.0), (((ColorJitter)a).Brightness, ((ColorJitter)a).Contrast, ((ColorJitter)a).Saturation)));
    }

    [Fact]
    public void A_colour_folder_of_larger_images_gets_three_channels_and_the_net_nearest_its_median_size()
    {
        var choice = DataChoice.From(Settings(WriteColour("photos", width: 100, height: 80)));

        Assert.Equal((3, 128, 128), (choice.Train.Channels, choice.Train.Height, choice.Train.Width));
        Assert.Equal(nameof(FolderFeatures3x128), NetOf(choice));
        var lines = choice.Choices!;
        Assert.StartsWith("channels: 3 — colour pixels in ", lines[0]);
        Assert.Contains(Path.Combine(_dir, "photos"), lines[0]);
        // Widths per class 100, 102, 104, 106 (train) and 100, 102 (test): median 102, the larger side; 102 is nearer 128 than 64 on a log scale.
        Assert.StartsWith("size: 128×128 — median image 102×80, resized to the nearest net size of 32/64/128", lines[1]);
        Assert.Contains("stretched to a square", lines[1]);

        var small = DataChoice.From(Settings(WriteColour("thumbs", width: 50, height: 40)));
        Assert.Equal((3, 64), (small.Train.Channels, small.Train.Height));
        Assert.Equal(nameof(FolderFeatures3x64), NetOf(small));
    }

    [Fact]
    public void Each_option_overrides_its_default_and_says_so()
    {
        string root = WriteGray("override", side: 12, perClass: 4, test: true);
        var choice = DataChoice.From(Settings(root, new FolderSettings { Channels = 3, Size = 64, Flip = true, NoAugment = true, ValidFraction = 0.3 }));

        Assert.Equal((3, 64, 64), (choice.Train.Channels, choice.Train.Height, choice.Train.Width));
        Assert.Equal(nameof(FolderFeatures3x64), NetOf(choice));
        var lines = choice.Choices!;
        Assert.Equal("channels: 3 (--channels 3)", lines[0]);
        Assert.StartsWith("size: 64×64 (--size 64; median image 12×12)", lines[1]);
        Assert.StartsWith("augmentation: none (--no-augment); horizontal flips (--flip)", lines[2]);
        Assert.Equal("validation: test/ (6 images); --valid-pct ignored, it applies only without one", lines[3]);
        Assert.IsType<RandomHorizontalFlip>(Assert.Single(choice.TrainAugmentation(1)));

        var flipped = DataChoice.From(Settings(root, new FolderSettings { Flip = true }));
        Assert.Equal([typeof(RandomAffine), typeof(ColorJitter), typeof(RandomHorizontalFlip)], flipped.TrainAugmentation(1).Select(a => a.GetType()));
    }

    [Theory]
    [InlineData(2, null, null, "--channels must be 1 or 3")]
    [InlineData(null, 48, null, "--size must be one of 32, 64, 128")]
    [InlineData(null, null, 1.0, "--valid-pct must be between 0 and 1")]
    public void Invalid_folder_options_name_the_option(int? channels, int? size, double? validFraction, string message)
    {
        var settings = Settings("x", new FolderSettings { Channels = channels, Size = size, ValidFraction = validFraction });
        Assert.StartsWith(message, settings.Validate());
    }

    [Fact]
    public void Without_test_a_seeded_stratified_share_of_train_is_held_out()
    {
        string root = WriteGray("trainonly", side: 10, perClass: 10, test: false);

        var choice = DataChoice.From(Settings(root, seed: 3));

        var train = Assert.IsType<SubsetDataset>(choice.Train);
        var valid = Assert.IsType<SubsetDataset>(choice.Test);
        Assert.Equal((24, 6), (train.Count, valid.Count));
        Assert.Same(train.Inner, valid.Inner);
        Assert.Empty(train.Indices.Intersect(valid.Indices));
        var folder = (ImageFolderDataset)valid.Inner;
        Assert.All(Enumerable.Range(0, 3), k => Assert.Equal(2, valid.Indices.Count(i => folder.Sample(i).Label == k)));
        Assert.Equal("validation: 6 of train/'s 30 images held out (20%, stratified by class, seed 3) — no test/ folder (--valid-pct to change)", choice.Choices![3]);

        Assert.Equal(valid.Indices, ((SubsetDataset)DataChoice.From(Settings(root, seed: 3)).Test).Indices);
        Assert.NotEqual(valid.Indices, ((SubsetDataset)DataChoice.From(Settings(root, seed: 4)).Test).Indices);
        var third = DataChoice.From(Settings(root, new FolderSettings { ValidFraction = 0.3 }, seed: 3));
        Assert.Equal(9, third.Test.Count);
    }

    [Fact]
    public void A_corrupt_image_in_the_folder_is_a_one_line_error_naming_the_file()
    {
        string root = WriteGray("corrupt", side: 10, perClass: 2, test: false);
        string bad = Path.Combine(root, "train", "b", "truncated.png");
        // Cut inside the image data: the decoder fails on what follows the header and quotes bytes that include NULs.
        var png = File.ReadAllBytes(Path.Combine(root, "train", "b", "0.png"));
        File.WriteAllBytes(bad, png[..(png.Length - 20)]);
        var stderr = new StringWriter();

        int code = TrainingJob.Run(new JobSettings(root, 1, 8, 3e-3, "cpu", 7, Path.Combine(_dir, "out"), 0), new StringWriter(), stderr);

        Assert.Equal(1, code);
        Assert.Contains(bad, stderr.ToString());
        Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // The decoder's own words may quote the bytes it choked on; none of them reaches the terminal raw.
        Assert.DoesNotContain(stderr.ToString().TrimEnd('\n', '\r'), char.IsControl);
    }

    [Fact]
    public void One_epoch_on_a_train_only_gray_folder_prints_the_choices_and_reports_on_the_held_out_split()
    {
        string root = WriteGray("endtoend", side: 10, perClass: 10, test: false);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var settings = new JobSettings(root, 1, 8, 3e-3, "cpu", 7, Path.Combine(_dir, "out"), 1);

        int code = TrainingJob.Run(settings, stdout, stderr);

        string output = stdout.ToString();
        Assert.True(code == 0, stderr.ToString() + output);
        Assert.Contains("24 train, 6 test, 3 classes", output);
        Assert.Contains("  channels: 1 — gray", output);
        Assert.Contains("  size: 32×32", output);
        Assert.Contains("  validation: 6 of train/'s 30 images held out", output);
        Assert.Contains("FolderFeatures1x32: 1×32×32 -> 128", output);
        Assert.Contains("test accuracy: ", output);
        Assert.Equal(7, File.ReadAllLines(Path.Combine(_dir, "out", "predictions.csv")).Length);
    }
}
