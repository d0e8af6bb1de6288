using System.Diagnostics;
using ModelDsl.Platform;
using Xunit;

namespace ModelDsl.Samples.Tests;

/// <summary>
/// The CPU convolution fix as a user's process meets it, in a fresh process of the main job: a fault recorded on
/// this machine (as the first faulty process records it) makes the next process cap oneDNN at AVX2 before its first
/// convolution — seen in oneDNN's own verbose output — and say so in one line; and a fit that diverges ends with one
/// line and exit code 1.
/// </summary>
public sealed class CpuFixProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cpu-fix-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Code, string Out, string Err) RunMainJob(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MnistDigits.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        psi.Environment.Remove(CpuNumerics.EnvironmentVariable);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3))) { p.Kill(); Assert.Fail("the main job did not end in 3 minutes"); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void A_recorded_fault_caps_oneDNN_at_AVX2_from_the_next_process_start_and_a_diverging_fit_ends_in_one_line()
    {
        string home = Path.Combine(_dir, "home");
        // The record a faulty first process leaves (CpuNumerics.RecordedFaultPath, the same key in the child: same CPU, same TorchSharp).
        var saved = Environment.GetEnvironmentVariable("MODELDSL_HOME");
        string record;
        try
        {
            Environment.SetEnvironmentVariable("MODELDSL_HOME", home);
            record = CpuNumerics.RecordedFaultPath;
        }
        finally { Environment.SetEnvironmentVariable("MODELDSL_HOME", saved); }
        Directory.CreateDirectory(Path.GetDirectoryName(record)!);
        File.WriteAllText(record, "2026-12-06 test: conv2d 8→8 channels, gradient of input 0: NaN or ±∞\n");

        var (code, output, errors) = RunMainJob(new Dictionary<string, string> { ["MODELDSL_HOME"] = home, ["ONEDNN_VERBOSE"] = "1" },
            "--epochs", "1", "--lr", "1e30", "--device", "cpu", "--out", Path.Combine(_dir, "out"), "--workers", "0");

        // oneDNN's own word: the instruction set it runs with.
        Assert.Contains("isa:Intel AVX2", output);
        Assert.DoesNotContain("jit:avx512", output);
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("ModelDsl: oneDNN capped at AVX2 for this process", StringComparison.Ordinal) && l.Contains(record));
        // The fit diverges at once: one "stopped:" line, metrics.json with "stopped", exit code 1, no stack trace.
        Assert.Equal(1, code);
        Assert.Single(lines, l => l.StartsWith("stopped: Training stopped:", StringComparison.Ordinal));
        Assert.Equal(2, lines.Length);
        Assert.DoesNotContain("   at ", errors);
        Assert.Contains("\"stopped\": \"Training stopped:", File.ReadAllText(Path.Combine(_dir, "out", "metrics.json")));
    }
}
