using System.Diagnostics;
using Xunit;

namespace ModelDsl.Interop.Tests;

/// <summary>
/// Runs Debian's Python the way a user's machine has it: <c>/usr/bin/python3</c> when it exists (where apt
/// installs python3-torch and python3-onnx), else <c>python3</c> on PATH. A missing module fails the test
/// with the apt package that provides it.
/// </summary>
public static class Python
{
    public static string Interpreter { get; } = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>Fails unless <paramref name="module"/> imports, naming the Debian package to install.</summary>
    public static void Require(string module, string aptPackage)
    {
        var (code, _, error) = Run($"import {module}", Array.Empty<string>());
        if (code != 0)
            Assert.Fail($"{Interpreter} cannot import {module}: install it with `apt-get install -y --no-install-recommends {aptPackage}` (.ci/run does). {error.Trim().Split('\n').LastOrDefault()}");
    }

    /// <summary>Runs <paramref name="script"/> with <paramref name="arguments"/>; returns the exit code, stdout and stderr.</summary>
    public static (int Code, string Output, string Error) Run(string script, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        // One thread per Python process: the tests run beside other test assemblies on a 2-core CI machine.
        info.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {Interpreter}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Interpreter} did not finish within {(timeout ?? TimeSpan.FromMinutes(3)).TotalSeconds} s.");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Runs the onnx checker (with shape inference) on every file; fails listing each file it rejects.</summary>
    public static void CheckOnnx(IReadOnlyCollection<string> files)
    {
        Require("onnx", "python3-onnx");
        const string script = """
            import sys, onnx
            bad = []
            for path in sys.argv[1:]:
                try:
                    onnx.checker.check_model(onnx.load(path), full_check=True)
                except Exception as e:
                    bad.append(f"{path}: {type(e).__name__}: {e}".replace("\n", " ")[:400])
            print(f"checked {len(sys.argv) - 1}")
            print("\n".join(bad))
            sys.exit(1 if bad else 0)
            """;
        var (code, output, error) = Run(script, files);
        Assert.True(code == 0, $"The onnx checker rejected exported files:\n{output}\n{error}");
        Assert.Contains($"checked {files.Count}", output);
    }
}
