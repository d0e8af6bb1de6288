using System.Diagnostics;
using ModelDsl.Package.Tests;

namespace ModelDsl.Build.Tests;

/// <summary>
/// The package's buildTransitive/ModelDsl.targets run by real MSBuild on a project whose output folder holds a
/// link to a stand-in for the NuGet cache's shim (a copy of the real one, so the real cache is never at risk).
/// </summary>
public sealed class RelaxGlibcxxTargetsTests : IDisposable
{
    private const string Needed = "GLIBCXX_3.4.32";
    private readonly string _work = TestFiles.TempDirectory();
    private readonly string _cache;
    private readonly byte[] _original;

    public RelaxGlibcxxTargetsTests()
    {
        _cache = Path.Combine(_work, "nuget-cache", "libLibTorchSharp.so");
        Directory.CreateDirectory(Path.GetDirectoryName(_cache)!);
        File.Copy(TestFiles.CachedShim, _cache);
        File.SetLastWriteTimeUtc(_cache, new DateTime(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc));
        _original = File.ReadAllBytes(_cache);
        File.WriteAllText(Path.Combine(_work, "App.proj"), $"""
            <Project>
              <PropertyGroup>
                <OutDir>{_work}/bin/</OutDir>
                <PublishDir>{_work}/publish/</PublishDir>
                <ModelDslBuildTasksAssembly>{TestFiles.TaskAssembly}</ModelDslBuildTasksAssembly>
              </PropertyGroup>
              <Import Project="{TestFiles.RepoRoot}src/ModelDsl.Runtime/buildTransitive/ModelDsl.targets" />
              <!-- Stand-ins for the SDK's targets the package hooks after. -->
              <Target Name="CopyFilesToOutputDirectory" />
              <Target Name="Publish" />
            </Project>
            """);
    }

    public void Dispose()
    {
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { }
    }

    private string Output(string folder = "bin") => Path.Combine(_work, folder, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    private async Task<ProcessResult> MsBuild(string target, string mode)
    {
        var result = await ChildProcess.RunAsync(ChildProcess.DotNet,
            ["msbuild", "App.proj", $"-t:{target}", $"-p:ModelDslRelaxGlibcxx={mode}", "-v:n", "-nologo", "-nodeReuse:false"],
            _work, TimeSpan.FromMinutes(2));
        return result;
    }

    private static bool Relaxed(string file) =>
        ElfVersionInfo.RequiredVersions(File.ReadAllBytes(file), file).Single(r => r.Version == Needed).Weak;

    private static void HardLink(string target, string link)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        using var ln = Process.Start("ln", [target, link]);
        ln.WaitForExit();
        Assert.Equal(0, ln.ExitCode);
    }

    [Fact]
    public async Task Always_mode_relaxes_the_output_copy_through_a_hard_link_without_touching_the_cache_and_keeps_its_timestamp()
    {
        HardLink(_cache, Output());

        var result = await MsBuild("CopyFilesToOutputDirectory", "true");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"relaxed the {Needed} requirement of {Output()}", result.Output);
        Assert.True(Relaxed(Output()));
        Assert.Equal(_original, File.ReadAllBytes(_cache));
        Assert.False(Relaxed(_cache));
        Assert.Equal(File.GetLastWriteTimeUtc(_cache), File.GetLastWriteTimeUtc(Output()));
        Assert.False(File.Exists(Output() + ".modeldsl-tmp"));

        // Idempotent: a second build finds nothing to do and leaves the file as it was.
        var relaxedBytes = File.ReadAllBytes(Output());
        var again = await MsBuild("CopyFilesToOutputDirectory", "true");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.DoesNotContain("relaxed the", again.Output);
        Assert.Equal(relaxedBytes, File.ReadAllBytes(Output()));
    }

    [Fact]
    public async Task A_symbolic_link_into_the_cache_is_replaced_by_a_relaxed_file_not_written_through()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Output())!);
        File.CreateSymbolicLink(Output(), _cache);

        var result = await MsBuild("CopyFilesToOutputDirectory", "true");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Null(new FileInfo(Output()).LinkTarget);
        Assert.True(Relaxed(Output()));
        Assert.Equal(_original, File.ReadAllBytes(_cache));
    }

    [Fact]
    public async Task Publish_output_is_relaxed_too()
    {
        HardLink(_cache, Output("publish"));

        var result = await MsBuild("Publish", "true");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(Relaxed(Output("publish")));
        Assert.Equal(_original, File.ReadAllBytes(_cache));
    }

    [Fact]
    public async Task Opting_out_leaves_the_shim_as_restored()
    {
        HardLink(_cache, Output());

        var result = await MsBuild("CopyFilesToOutputDirectory", "false");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(Relaxed(Output()));
        Assert.DoesNotContain("ModelDsl.Build.RelaxGlibcxxRequirement", result.Output.Replace("Target \"ModelDslRelaxGlibcxxInOutput\" skipped", ""));
    }

    [Fact]
    public async Task Auto_mode_relaxes_exactly_when_this_machines_libstdcxx_lacks_GLIBCXX_3_4_32()
    {
        HardLink(_cache, Output());
        var machineLacksIt = !TestFiles.ContainsString(TestFiles.LibStdCxx, Needed);

        var result = await MsBuild("CopyFilesToOutputDirectory", "auto");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(machineLacksIt, Relaxed(Output()));
        Assert.Equal(_original, File.ReadAllBytes(_cache));
        if (File.Exists("/etc/debian_version") && File.ReadAllText("/etc/debian_version").StartsWith("12.", StringComparison.Ordinal))
            Assert.True(machineLacksIt, "Debian 12's libstdc++ (GCC 12) should lack GLIBCXX_3.4.32.");
    }

    [Fact]
    public async Task An_unknown_mode_fails_the_build_naming_the_property()
    {
        HardLink(_cache, Output());

        var result = await MsBuild("CopyFilesToOutputDirectory", "yes");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("ModelDslRelaxGlibcxx is 'yes'; expected auto, true or false.", result.Output);
    }
}
