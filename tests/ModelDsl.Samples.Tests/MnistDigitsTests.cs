using System.Globalization;
using System.Text.Json;
using MnistDigits;
using SkiaSharp;
using Xunit;

namespace ModelDsl.Samples.Tests;

/// <summary>
/// The main job, end to end on the CPU for one quick epoch: each kind of --data (the bundled MNIST
/// subset, CIFAR-10 binary batches, an ImageFolder root), the files it must leave in --out, and the
/// clear error for a folder it cannot read. The full 8-epoch run and its accuracy are in README/BENCHMARKS.
/// </summary>
public sealed class MnistDigitsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mnistdigits-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Code, string Out, string Err) Run(string? data, int epochs = 1, int batchSize = 64)
    {
        var stdout = new StringWriter(); var stderr = new StringWriter();
        var settings = new JobSettings(data, epochs, batchSize, 3e-3, "cpu", 7, Path.Combine(_dir, "out"), 1);
        Assert.Null(settings.Validate());
        int code = TrainingJob.Run(settings, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Bundled_mnist_one_epoch_prints_the_table_and_writes_every_output()
    {
        var (code, output, errors) = Run(data: null);
        Assert.True(code == 0, errors + output);

        Assert.Contains("DigitNet: 1×28×28 -> 10", output);
        Assert.Matches(@"epoch\s+train_loss\s+valid_loss\s+accuracy\s+time", output);
        var line = output.Split('\n').Single(l => l.StartsWith("test accuracy: ", StringComparison.Ordinal));
        double printed = double.Parse(line["test accuracy: ".Length..], CultureInfo.InvariantCulture);
        // One epoch of this net on 8,000 digits is well past chance; the 8-epoch default reaches 0.98.
        Assert.InRange(printed, 0.85, 1.0);

        string outDir = Path.Combine(_dir, "out");
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")));
        var root = metrics.RootElement;
        Assert.Equal(printed, root.GetProperty("accuracy").GetDouble(), 4);
        foreach (var name in new[] { "precision", "recall", "f1" })
            foreach (var avg in new[] { "micro", "macro", "weighted" })
                Assert.InRange(root.GetProperty(name).GetProperty(avg).GetDouble(), 0.0, 1.0);
        Assert.Equal(10, root.GetProperty("per_class").GetArrayLength());
        var matrix = root.GetProperty("confusion_matrix");
        Assert.Equal(2000, matrix.EnumerateArray().SelectMany(r => r.EnumerateArray()).Sum(v => v.GetInt64()));
        Assert.InRange(root.GetProperty("balanced_error_rate").GetDouble(), 0.0, 0.15);

        var rows = File.ReadAllLines(Path.Combine(outDir, "predictions.csv"));
        Assert.Equal("index,label,predicted,p_0,p_1,p_2,p_3,p_4,p_5,p_6,p_7,p_8,p_9", rows[0]);
        Assert.Equal(2001, rows.Length);
        int correct = 0;
        foreach (var row in rows.Skip(1))
        {
            var cells = row.Split(',');
            Assert.Equal(13, cells.Length);
            var p = cells.Skip(3).Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(1.0, p.Sum(), 3);
            Assert.Equal(Array.IndexOf(p, p.Max()), int.Parse(cells[2]));
            if (cells[1] == cells[2]) correct++;
        }
        Assert.Equal(printed, correct / 2000.0, 4);

        foreach (var png in new[] { "loss_curves.png", "confusion_matrix.png", "sample_batch.png", "top_losses.png", "conv1_filters.png", "conv1_feature_maps.png" })
        {
            using var bitmap = SKBitmap.Decode(Path.Combine(outDir, png));
            Assert.True(bitmap is { Width: > 0, Height: > 0 }, png);
        }
        Assert.True(new FileInfo(Path.Combine(outDir, "checkpoint.bin")).Length > 207_018 * 4, "the checkpoint holds at least the weights");
        // model.onnx beside the checkpoint: the trained weights as an ONNX graph (its outputs are checked in ModelDsl.Interop.Tests).
        var onnx = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(outDir, "model.onnx")));
        Assert.Equal("DigitNet", onnx.Graph.Name);
        Assert.Equal(207_018, onnx.Graph.Initializer.Where(t => !t.Name.Contains("running_")).Sum(t => t.Dims.Aggregate(1L, (a, b) => a * b)));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(outDir, "history.csv")).Length);
    }

    [Fact]
    public void Cifar10_binary_folder_trains_CifarNet()
    {
        string cifar = Path.Combine(_dir, "cifar-10-batches-bin");
        Directory.CreateDirectory(cifar);
        var rng = new Random(3);
        // Real format: 1 label byte + 3,072 pixel bytes (R, G, B planes) per record. Class 0 bright, others dark, so it is learnable.
        void Write(string name, int records)
        {
            var bytes = new byte[records * 3073];
            for (int r = 0; r < records; r++)
            {
                int label = r % 3;
                bytes[r * 3073] = (byte)label;
                for (int i = 1; i < 3073; i++) bytes[r * 3073 + i] = (byte)(label * 80 + rng.Next(60));
            }
            File.WriteAllBytes(Path.Combine(cifar, name), bytes);
        }
        for (int i = 1; i <= 5; i++) Write($"data_batch_{i}.bin", 24);
        Write("test_batch.bin", 30);
        File.WriteAllLines(Path.Combine(cifar, "batches.meta.txt"), new[] { "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck" });

        var (code, output, errors) = Run(_dir, epochs: 2, batchSize: 16);
        Assert.True(code == 0, errors + output);
        Assert.Contains("CIFAR-10", output);
        Assert.Contains("CifarNet: 3×32×32 -> 10", output);
        Assert.Contains("airplane", output); // the per-class report uses the meta file's names
        Assert.Equal(31, File.ReadAllLines(Path.Combine(_dir, "out", "predictions.csv")).Length);
    }

    [Fact]
    public void ImageFolder_root_trains_with_a_head_for_its_classes()
    {
        foreach (var split in new[] { "train", "test" })
            foreach (var (cls, color) in new[] { ("red", SKColors.Red), ("blue", SKColors.Blue), ("green", SKColors.Green) })
            {
                string dir = Path.Combine(_dir, "folder", split, cls);
                Directory.CreateDirectory(dir);
                for (int i = 0; i < (split == "train" ? 8 : 4); i++)
                {
                    using var bitmap = new SKBitmap(40 + i, 36, SKColorType.Rgba8888, SKAlphaType.Premul);
                    bitmap.Erase(color.WithAlpha((byte)(200 + i * 5)));
                    using var data = bitmap.Encode(i % 2 == 0 ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, 90);
                    File.WriteAllBytes(Path.Combine(dir, $"img{i}.{(i % 2 == 0 ? "png" : "jpg")}"), data.ToArray());
                }
            }

        var (code, output, errors) = Run(Path.Combine(_dir, "folder"), epochs: 1, batchSize: 8);
        Assert.True(code == 0, errors + output);
        Assert.Contains("ImageFolder", output);
        Assert.Contains("3 classes", output);
        // The ONNX line says what the net is, not a line of the summary table.
        Assert.Matches(@"model\.onnx: not written: the image-folder net is the generated FolderFeatures\w+ plus a Linear\(\d+ → 3\) head", output);
        Assert.Equal("index,label,predicted,p_blue,p_green,p_red", File.ReadLines(Path.Combine(_dir, "out", "predictions.csv")).First());
    }

    [Fact]
    public void The_sample_batch_of_a_folder_sorted_by_class_mixes_the_classes()
    {
        // An image folder's test split lists its samples class by class.
        long[] labels = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2];
        var picked = JobOutputs.MixedSample(labels, 6);
        Assert.Equal(new[] { 0, 6, 10, 1, 7, 11 }, picked);
        Assert.Equal(new[] { 0L, 1, 2, 0, 1, 2 }, picked.Select(i => labels[i]));
        Assert.Equal(13, JobOutputs.MixedSample(labels, 16).Distinct().Count()); // fewer samples than asked: all of them, once
    }

    [Fact]
    public void A_one_class_folder_is_one_line_saying_a_classifier_needs_two()
    {
        string dir = Path.Combine(_dir, "one", "train", "cats");
        Directory.CreateDirectory(dir);
        for (int i = 0; i < 3; i++)
        {
            using var bitmap = new SKBitmap(20, 20, SKColorType.Rgba8888, SKAlphaType.Premul);
            bitmap.Erase(SKColors.Gray);
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 90);
            File.WriteAllBytes(Path.Combine(dir, $"c{i}.png"), data.ToArray());
        }
        var (code, _, errors) = Run(Path.Combine(_dir, "one"));
        Assert.Equal(1, code);
        Assert.Equal($"error: --data {Path.Combine(_dir, "one")}: found 1 class (cats) in train/; a classifier needs at least 2 (one folder of images per class).", errors.Trim());
    }

    [Fact]
    public void A_folder_of_nothing_recognisable_is_a_clear_error_not_a_crash()
    {
        string empty = Path.Combine(_dir, "nothing");
        Directory.CreateDirectory(empty);
        File.WriteAllText(Path.Combine(empty, "notes.txt"), "no data here");

        var (code, output, errors) = Run(empty);

        Assert.Equal(1, code);
        Assert.Contains(empty, errors);
        Assert.Contains("train-images-idx3-ubyte", errors);
        Assert.Contains("data_batch_1.bin", errors);
        Assert.Contains("train/ class folders", errors);
        Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries)); // one line, no stack trace
    }

    [Fact]
    public void An_out_that_is_a_file_is_refused_before_training_naming_the_option()
    {
        string file = Path.Combine(_dir, "out-is-a-file");
        File.WriteAllText(file, "not a folder");
        var settings = new JobSettings(null, 1, 64, 1e-3, "cpu", 0, file, 0);
        Assert.Equal($"--out {file} is a file; give a folder for the outputs.", settings.Validate());
        // A folder that does not exist yet is created by the check, so the job's later writes cannot fail on it.
        string fresh = Path.Combine(_dir, "new", "out");
        Assert.Null((settings with { OutputDirectory = fresh }).Validate());
        Assert.True(Directory.Exists(fresh));
        Assert.Empty(Directory.EnumerateFileSystemEntries(fresh)); // the write test leaves nothing behind
    }

    [Theory]
    [InlineData(0, 64, "--epochs")]
    [InlineData(1, 0, "--batch-size")]
    public void Invalid_settings_name_the_option(int epochs, int batchSize, string option)
    {
        var settings = new JobSettings(null, epochs, batchSize, 1e-3, "cpu", 0, "out", 0);
        Assert.StartsWith(option, settings.Validate());
    }
}
