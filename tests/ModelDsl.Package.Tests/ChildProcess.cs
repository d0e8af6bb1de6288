using System.Diagnostics;
using System.Text;

namespace ModelDsl.Package.Tests;

/// <summary>The result of one child process: its exit code and its stdout and stderr, interleaved.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string Output, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"$ {CommandLine}\n(exit code {ExitCode} after {Elapsed.TotalSeconds:F1} s)\n{Output}";
}

/// <summary>Runs child processes (dotnet, python3) with a timeout, capturing everything they print.</summary>
public static class ChildProcess
{
    // Set by `dotnet test` / MSBuild for the test process; a child `dotnet build` must find its own SDK.
    private static readonly string[] InheritedMsBuildVariables =
        ["MSBuildSDKsPath", "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly", "VSTEST_HOST_DEBUG"];

    /// <summary>The dotnet host running this test (so the child uses the same SDK), else dotnet on PATH.</summary>
    public static string DotNet { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory,
                                                     TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        foreach (var v in InheritedMsBuildVariables) psi.Environment.Remove(v);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        psi.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        // No MSBuild nodes or compiler servers left behind holding our output pipes open.
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        psi.Environment["UseSharedCompilation"] = "false";
        if (environment is not null)
            foreach (var (k, v) in environment) psi.Environment[k] = v;

        var commandLine = fileName + " " + string.Join(" ", psi.ArgumentList.Select(a => a.Contains(' ') ? $"\"{a}\"" : a));
        var output = new StringBuilder();
        var sw = Stopwatch.StartNew();
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit(10_000);
            string partial;
            lock (output) partial = output.ToString();
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0} s and killed:\n$ {commandLine}\n{partial}");
        }
        process.WaitForExit(); // drains the asynchronous output readers
        lock (output) return new ProcessResult(commandLine, process.ExitCode, output.ToString(), sw.Elapsed);
    }
}
