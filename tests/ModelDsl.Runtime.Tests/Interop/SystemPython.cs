using ModelDsl.Package.Tests;
using Xunit;

namespace ModelDsl.Runtime.Tests.Interop;

/// <summary>
/// The Python a user's Debian machine runs PyTorch with: Debian's <c>/usr/bin/python3</c> when it exists (the
/// interpreter the apt packages python3-torch and python3-torchvision install into; a pyenv or venv python3
/// earlier on PATH lacks them), else <c>python3</c> on PATH. Every test that runs Python goes through here.
/// </summary>
public static class SystemPython
{
    public static string Interpreter { get; } = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>torch, from Debian's python3-torch.</summary>
    public static readonly (string Module, string AptPackage) Torch = ("torch", "python3-torch");

    /// <summary>torchvision, from Debian's python3-torchvision.</summary>
    public static readonly (string Module, string AptPackage) TorchVision = ("torchvision", "python3-torchvision");

    /// <summary>scikit-learn, the metrics oracle.</summary>
    public static readonly (string Module, string AptPackage) Sklearn = ("sklearn", "python3-sklearn");

    /// <summary>ONNX's checker (the ONNX export tests).</summary>
    public static readonly (string Module, string AptPackage) Onnx = ("onnx", "python3-onnx");

    /// <summary>
    /// Runs <paramref name="script"/> (written to a file in <paramref name="workDir"/>) with <paramref name="arguments"/>
    /// and returns what it printed. A non-zero exit fails the test with everything it printed; one caused by a missing
    /// <paramref name="modules"/> entry fails naming the apt package to install (never a silent pass; .ci/run installs them).
    /// </summary>
    public static string Run(string script, string workDir, IEnumerable<string> arguments, (string Module, string AptPackage)[] modules,
                             TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var file = Path.Combine(workDir, "script.py");
        File.WriteAllText(file, script);
        return RunFile(Interpreter, [file, .. arguments], workDir, modules, timeout, environment);
    }

    /// <summary>Runs a program (python3, torchrun) like <see cref="Run"/>.</summary>
    public static string RunFile(string program, IEnumerable<string> arguments, string workDir, (string Module, string AptPackage)[] modules,
                                 TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            // One thread per process: the CI machine has two cores, shared with the .NET test host.
            ["OMP_NUM_THREADS"] = "1",
            ["PYTHONDONTWRITEBYTECODE"] = "1",
        };
        ProcessResult result;
        try { result = ChildProcess.RunAsync(program, arguments, workDir, timeout ?? TimeSpan.FromMinutes(3), env).GetAwaiter().GetResult(); }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"Cannot start '{program}' ({e.Message}): install python3 and {string.Join(" ", modules.Select(m => m.AptPackage))} " +
                        "(apt-get install -y --no-install-recommends ...; .ci/run does).");
            throw;
        }
        if (result.ExitCode != 0)
            foreach (var (module, apt) in modules)
                if (result.Output.Contains($"No module named '{module}'", StringComparison.Ordinal))
                    Assert.Fail($"{Interpreter} has no module '{module}': install the Debian package {apt} " +
                                $"(apt-get install -y --no-install-recommends {apt}; .ci/run does).\n{result}");
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Output;
    }
}
