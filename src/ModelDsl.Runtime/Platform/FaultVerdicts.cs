using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using System.Text;

namespace ModelDsl.Platform;

/// <summary>
/// What the known-answer check learnt about this CPU and this libtorch, kept between processes: a file per
/// (CPU, TorchSharp version) in <c>$MODELDSL_HOME/cpu-check/</c> (default <c>~/.cache/modeldsl</c>), written only
/// when the check fails. Why keep it: oneDNN's cheapest fix, its AVX2 cap, must be chosen before the process's
/// first convolution — that is, before the check can run — so the first process on a faulty machine can only
/// switch oneDNN off (right, but up to 3–4× slower), and every later process caps it at AVX2 from the start.
/// Only faults are kept, never a pass: the fault comes and goes from run to run, so a pass proves nothing next time.
/// </summary>
internal static class FaultVerdicts
{
    /// <summary>Where ModelDsl keeps what it caches: <c>MODELDSL_HOME</c>, else <c>$XDG_CACHE_HOME/modeldsl</c>, else <c>~/.cache/modeldsl</c>.</summary>
    public static string Home()
    {
        if (Environment.GetEnvironmentVariable("MODELDSL_HOME") is { Length: > 0 } home) return home;
        string cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "modeldsl");
    }

    /// <summary>The verdict file of this CPU and this TorchSharp/libtorch.</summary>
    public static string PathForThisMachine() => Path.Combine(Home(), "cpu-check", Key() + ".fault");

    /// <summary>The fault recorded for this machine, or null (none, or unreadable).</summary>
    public static string? Recorded()
    {
        try
        {
            var path = PathForThisMachine();
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { return null; }
    }

    /// <summary>Records <paramref name="fault"/> (atomically: a temporary file renamed into place); the path, or null when it cannot be written.</summary>
    public static string? Record(string fault)
    {
        try
        {
            var path = PathForThisMachine();
            AtomicFile.WriteAllText(path, $"{DateTime.UtcNow:yyyy-MM-dd} {Describe()}: {fault}\n");
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { return null; }
    }

    /// <summary>CPU model, its AVX-512 support and the TorchSharp version, in words.</summary>
    public static string Describe() =>
        $"{CpuModel()} ({(Avx512F.IsSupported ? "AVX-512" : Avx2.IsSupported ? "AVX2" : RuntimeInformation.ProcessArchitecture.ToString())}), " +
        $"TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}";

    /// <summary>A short hash of the CPU's identity (model, family, stepping, instruction-set flags) and the TorchSharp version.</summary>
    internal static string Key()
    {
        var identity = new StringBuilder(Describe());
        foreach (var line in CpuInfoLines())
            if (line.StartsWith("cpu family", StringComparison.Ordinal) || line.StartsWith("model", StringComparison.Ordinal) ||
                line.StartsWith("stepping", StringComparison.Ordinal) || line.StartsWith("flags", StringComparison.Ordinal))
                identity.Append('|').Append(line);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToString())))[..16].ToLowerInvariant();
    }

    private static string CpuModel() =>
        CpuInfoLines().FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) is { } line && line.IndexOf(':') is var colon and > 0
            ? line[(colon + 1)..].Trim()
            : RuntimeInformation.ProcessArchitecture.ToString();

    /// <summary>The first processor's block of /proc/cpuinfo (empty elsewhere).</summary>
    private static IEnumerable<string> CpuInfoLines()
    {
        string[] lines;
        try { lines = File.Exists("/proc/cpuinfo") ? File.ReadAllLines("/proc/cpuinfo") : []; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { lines = []; }
        return lines.TakeWhile(l => l.Length > 0);
    }
}
