using System.Reflection;
using System.Text;

namespace ModelDsl.Build.Tests;

/// <summary>Where the real files these tests read live.</summary>
internal static class TestFiles
{
    private static string Metadata(string key) =>
        typeof(TestFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"No {key} metadata on the test assembly.");

    public static string RepoRoot => Metadata("RepoRoot");

    /// <summary>TorchSharp 0.107's native shim as NuGet restored it: read here, never written.</summary>
    public static string CachedShim
    {
        get
        {
            var path = Path.Combine(Metadata("TorchSharpPackageRoot"), "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
            Assert.True(File.Exists(path), $"TorchSharp's shim is not at {path}: was the TorchSharp package restored?");
            return path;
        }
    }

    /// <summary>The task assembly as the package ships it (copied next to this test by its project reference).</summary>
    public static string TaskAssembly => Path.Combine(AppContext.BaseDirectory, "ModelDsl.Build.Tasks.dll");

    public static string LibStdCxx =>
        SystemLibraries.FindLibStdCxx() ?? throw new InvalidOperationException("This machine has no libstdc++.so.6 in the usual places.");

    /// <summary>
    /// Whether a library's bytes contain <paramref name="version"/> as a NUL-terminated string: an oracle for
    /// "defines this version" that does not read the version tables (libstdc++ names no GLIBCXX version it lacks).
    /// </summary>
    public static bool ContainsString(string file, string version)
    {
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        return File.ReadAllBytes(file).AsSpan().IndexOf(needle) >= 0;
    }

    public static string TempDirectory() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"modeldsl-build-{Guid.NewGuid():N}")).FullName;
}
