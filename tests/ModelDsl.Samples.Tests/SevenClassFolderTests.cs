using ModelDsl.Samples;
using SevenClassFolder;
using SkiaSharp;
using Xunit;

namespace ModelDsl.Samples.Tests;

/// <summary>The 7-class ImageFolder sample: one quick epoch on 7 tiny colour classes written as PNG/JPEG, and the no-data message.</summary>
public sealed class SevenClassFolderTests : IDisposable
{
    private static readonly (string Name, SKColor Color)[] Classes =
    [
        ("black", SKColors.Black), ("blue", SKColors.Blue), ("cyan", SKColors.Cyan), ("green", SKColors.Green),
        ("magenta", SKColors.Magenta), ("red", SKColors.Red), ("yellow", SKColors.Yellow),
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("sevenclass-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Code, string Out, string Err) Run(string? data)
    {
        var stdout = new StringWriter(); var stderr = new StringWriter();
        int code = SevenClassJob.Run(new SevenClassSettings(data, Epochs: 1, BatchSize: 8, Workers: 0), stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private void WriteFolder(string root, IEnumerable<(string Name, SKColor Color)> classes)
    {
        foreach (var split in new[] { "train", "test" })
            foreach (var (name, color) in classes)
            {
                string dir = Path.Combine(root, split, name);
                Directory.CreateDirectory(dir);
                for (int i = 0; i < (split == "train" ? 4 : 2); i++)
                {
                    using var bitmap = new SKBitmap(48 + i, 40, SKColorType.Rgba8888, SKAlphaType.Premul);
                    bitmap.Erase(color);
                    var format = i % 2 == 0 ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg;
                    using var encoded = bitmap.Encode(format, 90);
                    File.WriteAllBytes(Path.Combine(dir, $"img{i}.{(i % 2 == 0 ? "png" : "jpg")}"), encoded.ToArray());
                }
            }
    }

    [Fact]
    public void Seven_class_folder_one_epoch_prints_per_class_precision_with_the_class_names()
    {
        WriteFolder(Path.Combine(_dir, "colours"), Classes);

        var (code, output, errors) = Run(Path.Combine(_dir, "colours"));

        Assert.True(code == 0, errors + output);
        Assert.Contains("28 train, 14 test images", output);
        Assert.Contains("SevenClassNet: 3×64×64 -> 7", output);
        Assert.Matches(@"epoch\s+train_loss\s+valid_loss\s+accuracy", output);
        var lines = output.Split('\n');
        int header = Array.FindIndex(lines, l => l.StartsWith("per-class precision", StringComparison.Ordinal));
        Assert.True(header >= 0, output);
        for (int i = 0; i < Classes.Length; i++)
        {
            var row = lines[header + 1 + i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(Classes[i].Name, row[0]);
            Assert.InRange(double.Parse(row[1], System.Globalization.CultureInfo.InvariantCulture), 0.0, 1.0);
            Assert.Equal("(2", row[2]);
        }
        Assert.Contains("macro", output); // the full ClassificationReport follows
    }

    [Fact]
    public void Without_data_it_explains_the_folder_layout_and_exits_2()
    {
        var (code, output, errors) = Run(null);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("--data", errors);
        Assert.Contains("train/<class 1>", errors);
        Assert.Contains("test/<class 1>", errors);
        Assert.Contains("the course's 7, or any count from 2", errors);
    }

    [Fact]
    public void A_folder_of_three_classes_trains_the_course_net_built_for_three_and_one_class_is_a_clear_error()
    {
        // The course's Net(num_classes): the class count at run time.
        WriteFolder(Path.Combine(_dir, "three"), Classes.Take(3));
        var (code, output, errors) = Run(Path.Combine(_dir, "three"));
        Assert.True(code == 0, errors + output);
        Assert.Contains($"(built for 3 classes: 3 outputs, {SevenClassNet.ParameterCountFor(3):N0} parameters)", output);
        Assert.Equal(16384 * 3 + 3, SevenClassNet.ParameterCountFor(3) - SevenClassNet.ParameterCountFor(7) + 16384 * 7 + 7);

        WriteFolder(Path.Combine(_dir, "one"), Classes.Take(1));
        (code, _, errors) = Run(Path.Combine(_dir, "one"));
        Assert.Equal(1, code);
        Assert.Contains("1 class folder(s) [black]; a classifier needs at least 2", errors);
    }
}
