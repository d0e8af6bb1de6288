using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using MnistDigits;
using ModelDsl.Data;
using ModelDsl.Training;
using TorchSharp;
using Xunit;

namespace ModelDsl.Samples.Tests;

/// <summary>
/// Crash safety for real: the main job runs as a child process (its MNIST augmentation on, a
/// checkpoint every 2 steps, mostly mid-epoch) and is killed with SIGKILL several times — inside a
/// save, at random moments — and interrupted once with SIGINT; after each, the last complete
/// checkpoint loads and the next run resumes from it. The final weights, metrics, predictions and
/// losses equal an uninterrupted run's bit for bit on the CPU.
/// </summary>
public sealed class CrashResumeTests(ITestOutputHelper testOutput) : IDisposable
{
    private const int TrainImages = 384, TestImages = 128, BatchSize = 64, Epochs = 3, CheckpointEvery = 2;
    private const int SaveDelayMs = 400;

    private readonly string _dir = Directory.CreateTempSubdirectory("crash-resume-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The first images of the bundled MNIST subset, written as real (uncompressed) IDX files.</summary>
    private string WriteMnistSubset(int trainImages = TrainImages)
    {
        string dir = Path.Combine(_dir, "mnist");
        Directory.CreateDirectory(dir);
        void Copy(string gz, string raw, int count, int recordBytes, int headerBytes)
        {
            using var input = new GZipStream(File.OpenRead(Path.Combine(BundledData.MnistDirectory, gz)), CompressionMode.Decompress);
            var bytes = new byte[headerBytes + count * recordBytes];
            input.ReadExactly(bytes);
            bytes[4] = (byte)(count >> 24); bytes[5] = (byte)(count >> 16); bytes[6] = (byte)(count >> 8); bytes[7] = (byte)count;
            File.WriteAllBytes(Path.Combine(dir, raw), bytes);
        }
        Copy("train-images-idx3-ubyte.gz", "train-images-idx3-ubyte", trainImages, 28 * 28, 16);
        Copy("train-labels-idx1-ubyte.gz", "train-labels-idx1-ubyte", trainImages, 1, 8);
        Copy("t10k-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte", TestImages, 28 * 28, 16);
        Copy("t10k-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte", TestImages, 1, 8);
        return dir;
    }

    private static ChildRun.Child Start(string data, string outDir, bool resume, bool slowSaves)
    {
        var args = new List<string> { "--data", data, "--out", outDir, "--epochs", $"{Epochs}", "--batch-size", $"{BatchSize}", "--device", "cpu",
            "--seed", "5", "--workers", "0", "--checkpoint-every", $"{CheckpointEvery}" };
        if (resume) args.Add("--resume");
        return ChildRun.Start("MnistDigits.dll", args, slowSaves ? SaveDelayMs : 0);
    }

    [Fact]
    public void Killed_and_interrupted_training_resumes_to_the_uninterrupted_result_bit_for_bit()
    {
        string data = WriteMnistSubset();
        string reference = Path.Combine(_dir, "reference"), crashed = Path.Combine(_dir, "crashed");
        using (var straight = Start(data, reference, resume: false, slowSaves: false))
        {
            ChildRun.WaitForExit(straight);
            Assert.True(straight.Process.ExitCode == 0, straight.Output);
        }

        int seed = Environment.TickCount;
        var random = new Random(seed);
        string checkpoint = Path.Combine(crashed, "checkpoint.bin");
        var log = new List<string> { $"random seed {seed}" };
        // What each run suffers: a SIGKILL inside its second save, at a random moment, or a Ctrl+C; then a clean finish.
        string[] plan = ["kill-in-save", "kill-random", "sigint", "kill-in-save", "kill-random", "finish"];
        int killedInSave = 0;
        foreach (var what in plan)
        {
            bool resume = File.Exists(checkpoint);
            var leftovers = ChildRun.Temporaries(crashed);
            using var child = Start(data, crashed, resume, slowSaves: what != "finish");
            switch (what)
            {
                case "kill-in-save":
                    if (ChildRun.WaitInsideSave(child, crashed, nth: 2, leftovers))
                    {
                        child.Process.Kill();
                        child.Process.WaitForExit();
                        Assert.NotEmpty(ChildRun.Temporaries(crashed).Except(leftovers)); // it died with its temporary file half written
                        killedInSave++;
                    }
                    break;
                case "kill-random":
                    // Random, but after training began and well before it can end: 8+ saves of 400 ms remain.
                    Assert.True(ChildRun.WaitInsideSave(child, crashed, nth: 1, leftovers), "no save began:\n" + child.Output);
                    int ms = random.Next(0, 2500);
                    log.Add($"random kill {ms} ms after the run's first save began");
                    if (!child.Process.WaitForExit(ms)) { child.Process.Kill(); child.Process.WaitForExit(); }
                    break;
                case "sigint":
                    Assert.True(ChildRun.WaitInsideSave(child, crashed, nth: 1, leftovers), "no save began:\n" + child.Output);
                    using (var kill = Process.Start("kill", ["-INT", $"{child.Process.Id}"])) kill.WaitForExit();
                    ChildRun.WaitForExit(child);
                    Assert.True(child.Process.ExitCode == TrainingJob.InterruptedExitCode, $"exit code {child.Process.ExitCode}:\n{child.Output}");
                    Assert.Contains("interrupted: checkpoint written to " + checkpoint + "; run again with --resume to continue.", child.Output);
                    // One line for the interrupt, not one from the Learner and another from the job.
                    Assert.Single(child.Output.Split('\n'), line => line.Contains("interrupted: checkpoint written to", StringComparison.Ordinal));
                    break;
                default:
                    ChildRun.WaitForExit(child);
                    Assert.True(child.Process.ExitCode == 0, string.Join("\n", log) + "\n" + child.Output);
                    break;
            }
            if (resume) Assert.True(child.Output.Contains("resuming " + checkpoint), child.Output);
            // Whatever the moment of death, what is on disk is a complete checkpoint, or none yet.
            if (File.Exists(checkpoint))
            {
                var state = Checkpoint.Load(checkpoint).State;
                log.Add($"{what}: checkpoint at step {state.Step}, epoch {state.Epoch}, batch {state.Position?.Batch.ToString() ?? "-"}");
            }
            else log.Add($"{what}: no checkpoint yet");
        }
        foreach (var line in log) testOutput.WriteLine(line);
        Assert.True(killedInSave >= 1, "no kill landed inside a save: " + string.Join("; ", log));
        Assert.Empty(ChildRun.Temporaries(crashed)); // the finishing run cleared the crashed saves' leftovers

        string Of(string dir, string file) => File.ReadAllText(Path.Combine(dir, file));
        Assert.Equal(Of(reference, "metrics.json"), Of(crashed, "metrics.json"));
        Assert.Equal(Of(reference, "predictions.csv"), Of(crashed, "predictions.csv"));
        Assert.Equal(Losses(Of(reference, "history.json")), Losses(Of(crashed, "history.json")));

        using var a = new DigitNet();
        using var b = new DigitNet();
        Checkpoint.Load(Path.Combine(reference, "checkpoint.bin")).LoadInto(a);
        Checkpoint.Load(checkpoint).LoadInto(b);
        var weightsB = b.state_dict();
        foreach (var (name, w) in a.state_dict())
            Assert.True(w.shape.SequenceEqual(weightsB[name].shape) && w.eq(weightsB[name]).all().item<bool>(), $"{name} differs; {string.Join("; ", log)}");
    }

    [Fact]
    public void Resuming_from_a_damaged_checkpoint_is_one_error_line_naming_the_file()
    {
        string outDir = Path.Combine(_dir, "damaged");
        Directory.CreateDirectory(outDir);
        var settings = new JobSettings(WriteMnistSubset(), 1, BatchSize, 3e-3, "cpu", 5, outDir, 0) { ResumeFrom = Path.Combine(outDir, "checkpoint.bin") };
        Assert.Equal(settings.CheckpointPath, settings.ResumeFrom);
        File.WriteAllText(settings.ResumeFrom, "no checkpoint here");
        var errors = new StringWriter();

        int code = TrainingJob.Run(settings, new StringWriter(), errors, TestContext.Current.CancellationToken);

        Assert.Equal(1, code);
        var line = Assert.Single(errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(settings.ResumeFrom, line);
        Assert.Contains("not a ModelDsl checkpoint", line);
    }

    [Fact]
    public void Resume_takes_the_checkpoints_settings_for_options_left_out_and_refuses_others_listing_each_difference()
    {
        string data = WriteMnistSubset(), outDir = Path.Combine(_dir, "settings");
        var first = new JobSettings(data, 1, BatchSize, 3e-3, "cpu", 5, outDir, 0);
        Assert.Equal(0, TrainingJob.Run(first, new StringWriter(), new StringWriter(), TestContext.Current.CancellationToken));

        (int Code, string Out, string Err) Resume(JobSettings settings)
        {
            var stdout = new StringWriter(); var stderr = new StringWriter();
            int code = TrainingJob.Run(settings with { ResumeFrom = settings.CheckpointPath }, stdout, stderr, TestContext.Current.CancellationToken);
            return (code, stdout.ToString(), stderr.ToString());
        }

        // `--resume --epochs 3 --lr 0.01` (the command line's defaults for the rest): refused before any work, both named.
        var defaults = new JobSettings(null, 8, 64, 3e-3, "cpu", 42, outDir, 0);
        var (code, output, errors) = Resume(defaults with { Epochs = 3, LearningRate = 0.01, GivenOptions = new HashSet<string> { "--epochs", "--lr" } });
        Assert.Equal(1, code);
        Assert.Equal($"error: --resume {first.CheckpointPath} continues a run with other settings: --epochs 3 (the checkpoint's run: 1); --lr 0.01 (the checkpoint's run: 0.003). "
            + "Leave these options out to use the checkpoint's, or start a new run without --resume.", errors.Trim());
        Assert.DoesNotContain("epoch", output);

        // `--resume` alone: every option comes from the checkpoint (not the command line's defaults), and says so.
        (code, output, errors) = Resume(defaults with { GivenOptions = new HashSet<string>() });
        Assert.True(code == 0, errors + output);
        Assert.Contains($"resuming with the checkpoint's --data {Path.GetFullPath(data)}, --epochs 1, --batch-size {BatchSize}, --lr 0.003, --seed 5", output);
        Assert.Contains("its training had finished", output);

        // The same --data folder holding other images: refused, naming both.
        WriteMnistSubset(trainImages: 320);
        (code, _, errors) = Resume(defaults with { GivenOptions = new HashSet<string>() });
        Assert.Equal(1, code);
        Assert.Contains("the data is 320 training images in 10 classes", errors);
        Assert.Contains($"(the checkpoint's run: {TrainImages} training images in 10 classes", errors);
    }

    /// <summary>Every epoch's losses and metrics as exact JSON text (the seconds differ, of course).</summary>
    private static List<string> Losses(string historyJson)
    {
        using var doc = JsonDocument.Parse(historyJson);
        return doc.RootElement.GetProperty("epochs").EnumerateArray()
            .Select(e => $"{e.GetProperty("epoch")} {e.GetProperty("train_loss").GetRawText()} {e.GetProperty("valid_loss").GetRawText()} {e.GetProperty("metrics").GetRawText()} {e.GetProperty("lr").GetRawText()}")
            .ToList();
    }
}
