using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ModelDsl.Build;

/// <summary>
/// Lets TorchSharp 0.107's native shim (libLibTorchSharp.so) load on a libstdc++ older than GCC 13 (Debian 12,
/// Ubuntu 22.04, RHEL 9, …). The shim requires GLIBCXX_3.4.32 for one symbol only, std::ios_base_library_init,
/// which GCC 13's &lt;iostream&gt; references to pull the stream initialiser in; nothing calls it through a
/// relocation. Marking that one requirement weak (VER_FLG_WEAK) makes the loader accept the older library
/// instead of refusing to load the shim (TypeInitializationException at the first tensor).
/// </summary>
/// <remarks>
/// Patches copies in a build or publish folder only: the patched bytes go to a new file that replaces the
/// copy by rename, so a hard or symbolic link into the NuGet cache is replaced, never written through. The
/// copy keeps its timestamp, so an incremental build sees it as up to date and does not copy the original
/// back. Idempotent.
/// </remarks>
public sealed class RelaxGlibcxxRequirement : Task
{
    /// <summary>The libLibTorchSharp.so copies to patch.</summary>
    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The version requirement to relax.</summary>
    public string Version { get; set; } = "GLIBCXX_3.4.32";

    /// <summary>
    /// <c>auto</c>: only when this machine's libstdc++ lacks <see cref="Version"/>; <c>true</c>: always (a
    /// build that is deployed to an older distribution); <c>false</c>: never.
    /// </summary>
    public string Mode { get; set; } = "auto";

    /// <summary>The libstdc++ to judge by in <c>auto</c> mode; by default the one the loader would find.</summary>
    public string? LibStdCxx { get; set; }

    /// <summary>The files this run changed.</summary>
    [Output] public ITaskItem[] RelaxedFiles { get; private set; } = Array.Empty<ITaskItem>();

    public override bool Execute()
    {
        switch (Mode.Trim().ToLowerInvariant())
        {
            case "false": return true;
            case "true": break;
            case "auto":
                if (!MachineLacksVersion(out var reason))
                {
                    Log.LogMessage(MessageImportance.Low, $"ModelDsl: TorchSharp's native shim left as it is: {reason}");
                    return true;
                }
                break;
            default:
                Log.LogError($"ModelDsl: ModelDslRelaxGlibcxx is '{Mode}'; expected auto, true or false.");
                return false;
        }

        var relaxed = new List<ITaskItem>();
        foreach (var item in Files)
        {
            var file = item.GetMetadata("FullPath");
            try
            {
                if (Relax(file)) relaxed.Add(new TaskItem(file));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                // A shim we cannot read or patch is not a build error: on a new enough libstdc++ it loads anyway.
                Log.LogWarning(null, "MDSLB001", null, file, 0, 0, 0, 0,
                    $"ModelDsl: could not relax the {Version} requirement of {file}: {e.Message} On a libstdc++ older than GCC 13 TorchSharp will fail to load it.");
            }
        }
        RelaxedFiles = relaxed.ToArray();
        return !Log.HasLoggedErrors;
    }

    private bool MachineLacksVersion(out string reason)
    {
        var library = string.IsNullOrEmpty(LibStdCxx) ? SystemLibraries.FindLibStdCxx() : LibStdCxx;
        if (library is null)
        {
            reason = "no libstdc++.so.6 found on this machine to judge by (set ModelDslRelaxGlibcxx=true to relax anyway).";
            return false;
        }
        try
        {
            var lacks = !ElfVersionInfo.DefinedVersions(File.ReadAllBytes(library), library).Contains(Version);
            reason = lacks ? $"{library} lacks {Version}." : $"{library} has {Version}.";
            return lacks;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            reason = $"{library} could not be read ({e.Message}); set ModelDslRelaxGlibcxx=true to relax anyway.";
            return false;
        }
    }

    private bool Relax(string file)
    {
        var bytes = File.ReadAllBytes(file);
        if (ElfVersionInfo.RelaxRequirement(bytes, file, Version) == 0)
        {
            Log.LogMessage(MessageImportance.Low, $"ModelDsl: {file} has no strong {Version} requirement (already relaxed or not needed).");
            return false;
        }
        var timestamp = File.GetLastWriteTimeUtc(file);
        var temporary = file + ".modeldsl-tmp";
        File.WriteAllBytes(temporary, bytes);
        File.SetLastWriteTimeUtc(temporary, timestamp);
        // Rename over the copy (atomic on Linux): a link into the NuGet cache is replaced, never written through.
        File.Replace(temporary, file, destinationBackupFileName: null);
        Log.LogMessage(MessageImportance.Normal,
            $"ModelDsl: relaxed the {Version} requirement of {file} so TorchSharp loads on this libstdc++ (opt out: -p:ModelDslRelaxGlibcxx=false).");
        return true;
    }
}
