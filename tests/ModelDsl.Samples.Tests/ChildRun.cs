using System.Diagnostics;
using Xunit;

namespace ModelDsl.Samples.Tests;

/// <summary>
/// A sample run as a child process, for the crash tests: started with its arguments, killed (SIGKILL) or interrupted
/// (SIGINT) at chosen moments — inside a checkpoint save, found by its temporary file — and waited for.
/// </summary>
internal static class ChildRun
{
    public sealed class Child(Process process, List<string> output) : IDisposable
    {
        public Process Process => process;
        public string Output { get { lock (output) return string.Join("\n", output); } }

        public void Dispose() => process.Dispose();
    }

    /// <summary>Starts the sample <paramref name="dll"/> (next to the tests) with <paramref name="args"/>; with <paramref name="saveDelayMs"/> &gt; 0 every checkpoint save takes that long.</summary>
    public static Child Start(string dll, IEnumerable<string> args, int saveDelayMs = 0)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        // Through coreutils' env with SIGINT reset to its default: a shell that starts the test run in the background
        // (nohup, `&` without job control) makes SIGINT ignored, children inherit that, and an interrupt would
        // never arrive. env execs dotnet, so the PID is the app's.
        bool viaEnv = OperatingSystem.IsLinux() && File.Exists("/usr/bin/env");
        var psi = new ProcessStartInfo(viaEnv ? "/usr/bin/env" : dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (viaEnv) { psi.ArgumentList.Add("--default-signal=INT"); psi.ArgumentList.Add(dotnet); }
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (saveDelayMs > 0) psi.Environment["MODELDSL_CHECKPOINT_WRITE_DELAY_MS"] = $"{saveDelayMs}";
        // Plain output; the same intra-op thread count in every run keeps CPU reductions in the same order.
        psi.Environment["OMP_NUM_THREADS"] = "1";
        var lines = new List<string>();
        var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add("stderr: " + e.Data); };
        Assert.True(p.Start());
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return new Child(p, lines);
    }

    /// <summary>The temporary files of checkpoint saves in progress (or killed in progress) in <paramref name="outDir"/>.</summary>
    public static string[] Temporaries(string outDir) =>
        Directory.Exists(outDir) ? Directory.GetFiles(outDir, ".checkpoint.bin.*.tmp") : [];

    /// <summary>
    /// Waits until the child has begun its <paramref name="nth"/> save in this run (a new temporary file
    /// appears; <paramref name="leftovers"/>, those of earlier killed runs, do not count), or exits.
    /// </summary>
    public static bool WaitInsideSave(Child child, string outDir, int nth, string[] leftovers)
    {
        var seen = new HashSet<string>();
        var clock = Stopwatch.StartNew();
        while (!child.Process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            foreach (var t in Temporaries(outDir).Except(leftovers)) seen.Add(t);
            if (seen.Count >= nth) return true;
            Thread.Sleep(5);
        }
        return false;
    }

    public static void WaitForExit(Child child)
    {
        if (!child.Process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            child.Process.Kill();
            Assert.Fail("the child did not finish in 3 minutes:\n" + child.Output);
        }
        child.Process.WaitForExit(); // drains the output
    }
}
