using System.Reflection;
using Xunit;

namespace ModelDsl.Package.Tests;

/// <summary>
/// A fresh console app consuming ModelDsl as a user gets it: src/ModelDsl.Runtime (built with this test project) packed
/// into a temporary local feed under a unique prerelease version (0.1.0-ci.&lt;timestamp&gt;.&lt;pid&gt;.&lt;n&gt;, so the machine's global
/// packages folder never serves a stale copy), <c>dotnet new console</c>, ModelDsl from that feed and TorchSharp-cpu
/// from the machine's sources, restored. Everything restores through the global packages folder, so TorchSharp-cpu's
/// ~200 MB of libtorch is not downloaded again; the unique version is removed from it on <see cref="DisposeAsync"/>,
/// and the work folder too unless <see cref="Succeeded"/> was never set (then it is kept and named).
/// </summary>
public sealed class PackedConsumer : IAsyncDisposable
{
    public static readonly TimeSpan Short = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan Long = TimeSpan.FromMinutes(4);

    private static int s_consumers;
    private readonly List<ProcessResult> _log = new();

    private PackedConsumer(string repo, string work, string version)
    {
        Repo = repo;
        Work = work;
        Version = version;
    }

    public string Repo { get; }
    /// <summary>The temporary folder holding the feed and the app.</summary>
    public string Work { get; }
    public string Version { get; }
    public string Feed => Path.Combine(Work, "feed");
    public string App => Path.Combine(Work, "Consumer");
    public string Nupkg => Path.Combine(Feed, $"ModelDsl.{Version}.nupkg");
    /// <summary>Set by the test when it got to its end: the work folder is then deleted.</summary>
    public bool Succeeded { get; set; }
    public IReadOnlyList<ProcessResult> Log => _log;
    public string LogText => string.Join("\n", _log.Select(r => r.ToString()));

    /// <summary>Packs, creates the app, writes <paramref name="files"/> into it (name → text) and restores.</summary>
    /// <param name="beforeApp">Runs on the packed .nupkg before the app is made (the package layout checks).</param>
    public static async Task<PackedConsumer> CreateAsync(IReadOnlyDictionary<string, string> files, Action<string, string>? beforeApp = null)
    {
        var repo = FindRepoRoot();
        // Unique per consumer, not only per millisecond: the package tests run in parallel, and each removes its version
        // from the global packages folder when done — a shared version would vanish under the other test's build.
        var version = $"0.1.0-ci.{DateTime.UtcNow:yyyyMMddHHmmssfff}.{Environment.ProcessId}.{Interlocked.Increment(ref s_consumers)}";
        var work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"modeldsl-package-{Guid.NewGuid():N}")).FullName;
        var c = new PackedConsumer(repo, work, version);
        var configuration = typeof(PackedConsumer).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        c.AssertOk(await c.RunAsync(ChildProcess.DotNet, repo, Short,
            "pack", Path.Combine(repo, "src", "ModelDsl.Runtime", "ModelDsl.Runtime.csproj"),
            "-c", configuration, "--no-build", "-o", c.Feed, "-nodeReuse:false",
            $"-p:ModelDslVersion={version}", "-p:IncludeSymbols=false",
            $"-p:NuspecOutputPath={Path.Combine(work, "nuspec")}{Path.DirectorySeparatorChar}"));
        Assert.True(File.Exists(c.Nupkg), $"{c.Nupkg} was not produced.\n{c.LogText}");
        beforeApp?.Invoke(c.Nupkg, repo);

        // A fresh console app whose NuGet sources are the temporary feed plus the machine's own.
        c.AssertOk(await c.RunAsync(ChildProcess.DotNet, work, Short, "new", "console", "-n", "Consumer", "-o", c.App, "--no-restore"));
        File.WriteAllText(Path.Combine(c.App, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="modeldsl-test-feed" value="{c.Feed}" />
              </packageSources>
            </configuration>
            """);
        c.AssertOk(await c.RunAsync(ChildProcess.DotNet, c.App, Short, "add", "package", "ModelDsl", "--version", version, "--no-restore"));
        c.AssertOk(await c.RunAsync(ChildProcess.DotNet, c.App, Short, "add", "package", "TorchSharp-cpu", "--version", "0.107.0", "--no-restore"));
        foreach (var (name, text) in files) File.WriteAllText(Path.Combine(c.App, name), text);
        c.AssertOk(await c.RunAsync(ChildProcess.DotNet, c.App, Long, "restore", "-nodeReuse:false"));
        return c;
    }

    /// <summary>Runs a command, keeping its result in <see cref="Log"/>.</summary>
    public async Task<ProcessResult> RunAsync(string file, string dir, TimeSpan timeout, params string[] args)
    {
        var r = await ChildProcess.RunAsync(file, args, dir, timeout);
        _log.Add(r);
        return r;
    }

    public void AssertOk(ProcessResult r) => Assert.True(r.ExitCode == 0, $"Command failed.\n{r}");

    public ValueTask DisposeAsync()
    {
        RemoveFromGlobalPackages(Version);
        if (Succeeded) TryDelete(Work);
        return ValueTask.CompletedTask;
    }

    public static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ModelDsl.sln"))) return dir.FullName;
        throw new InvalidOperationException($"ModelDsl.sln not found above {AppContext.BaseDirectory}");
    }

    public static string GlobalPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
            ? p : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>Each run's prerelease version is unique; don't let them pile up in the global packages folder.</summary>
    private static void RemoveFromGlobalPackages(string version)
    {
        var packages = GlobalPackagesFolder();
        TryDelete(Path.Combine(packages, "modeldsl", version.ToLowerInvariant()));
        try { Directory.Delete(Path.Combine(packages, "modeldsl")); } // only when no other version is there
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
