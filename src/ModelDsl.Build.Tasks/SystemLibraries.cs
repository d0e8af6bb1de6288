using System;
using System.Collections.Generic;
using System.IO;

namespace ModelDsl.Build;

/// <summary>Finds the libstdc++ the dynamic loader would give a process started from this build.</summary>
internal static class SystemLibraries
{
    // LD_LIBRARY_PATH first (the loader searches it before its cache), then the directories Debian/Ubuntu
    // (multiarch), Fedora/RHEL/SUSE (lib64) and others put the system libstdc++ in.
    private static readonly string[] StandardDirectories =
    [
        "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
        "/lib64", "/usr/lib64", "/lib", "/usr/lib",
    ];

    internal static string? FindLibStdCxx()
    {
        var directories = new List<string>();
        if (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") is { Length: > 0 } path)
            directories.AddRange(path.Split(new[] { ':' }, StringSplitOptions.RemoveEmptyEntries));
        directories.AddRange(StandardDirectories);
        foreach (var directory in directories)
        {
            var candidate = Path.Combine(directory, "libstdc++.so.6");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
