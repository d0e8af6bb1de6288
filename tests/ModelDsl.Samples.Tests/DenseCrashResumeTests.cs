using DigitSegmentation;
using ModelDsl.Training;
using Xunit;

namespace ModelDsl.Samples.Tests;

/// <summary>
/// Crash safety for a dense task: the segmentation sample (paired random affine on, a checkpoint every 2 steps, mostly
/// mid-epoch) runs as a child process and is killed with SIGKILL — inside a save and at a random moment — and resumed
/// from its last complete checkpoint each time; it ends with the uninterrupted run's metrics, losses and predictions.
/// </summary>
public sealed class DenseCrashResumeTests(ITestOutputHelper testOutput) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dense-crash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ChildRun.Child Start(string data, string outDir, bool resume, int saveDelayMs)
    {
        var args = new List<string> { "--data", data, "--out", outDir, "--train", "64", "--test", "16", "--epochs", "2", "--batch-size", "8",
            "--seed", "3", "--augment", "--checkpoint-every", "2" };
        if (resume) args.Add("--resume");
        return ChildRun.Start("DigitSegmentation.dll", args, saveDelayMs);
    }

    [Fact]
    public void A_segmentation_run_killed_mid_epoch_resumes_to_the_uninterrupted_predictions()
    {
        string data = Path.Combine(_dir, "canvases");
        ModelDsl.Data.DigitCanvases.WriteBundledUnlessPresent(data, 64, 16, 3, new StringWriter());
        string reference = Path.Combine(_dir, "reference"), crashed = Path.Combine(_dir, "crashed");
        using (var straight = Start(data, reference, resume: false, saveDelayMs: 0))
        {
            ChildRun.WaitForExit(straight);
            Assert.True(straight.Process.ExitCode == 0, straight.Output);
        }

        var random = new Random(Environment.TickCount);
        string checkpoint = Path.Combine(crashed, "checkpoint.bin");
        var log = new List<string>();
        foreach (var what in new[] { "kill-in-save", "kill-random", "finish" })
        {
            bool resume = File.Exists(checkpoint);
            var leftovers = ChildRun.Temporaries(crashed);
            using var child = Start(data, crashed, resume, saveDelayMs: what == "finish" ? 0 : 300);
            if (what == "finish")
            {
                ChildRun.WaitForExit(child);
                Assert.True(child.Process.ExitCode == 0, string.Join("\n", log) + "\n" + child.Output);
            }
            else
            {
                Assert.True(ChildRun.WaitInsideSave(child, crashed, nth: what == "kill-in-save" ? 2 : 1, leftovers), "no save began:\n" + child.Output);
                if (what == "kill-random") child.Process.WaitForExit(random.Next(0, 800));
                if (!child.Process.HasExited) { child.Process.Kill(); child.Process.WaitForExit(); }
            }
            if (resume) Assert.Contains("resuming from " + checkpoint, child.Output);
            if (File.Exists(checkpoint))
            {
                var state = Checkpoint.Load(checkpoint).State; // whatever the moment of death, a complete checkpoint
                log.Add($"{what}: checkpoint at step {state.Step}, epoch {state.Epoch}, batch {state.Position?.Batch.ToString() ?? "-"}");
            }
            else log.Add($"{what}: no checkpoint yet");
        }
        foreach (var line in log) testOutput.WriteLine(line);
        Assert.Contains(log, l => l.StartsWith("kill", StringComparison.Ordinal) && l.Contains("batch ") && !l.EndsWith("batch -", StringComparison.Ordinal));

        // The same predictions: the grid of the test canvases' predicted masks byte for byte, the same metrics and losses.
        Assert.Equal(File.ReadAllBytes(Path.Combine(reference, "segmentation_grid.png")), File.ReadAllBytes(Path.Combine(crashed, "segmentation_grid.png")));
        static string Numbers(string dir) => System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(Path.Combine(dir, "metrics.json")), "\"train_seconds\": [0-9.]+,?", "");
        Assert.Equal(Numbers(reference), Numbers(crashed));
    }
}
