using System.Formats.Tar;
using System.IO.Compression;

namespace ModelDsl.Data;

/// <summary>
/// Extracts .tar / .tar.gz archives without letting an entry write outside the target folder
/// ("tar slip"): absolute paths, <c>..</c> segments and links whose target leaves the folder are
/// refused. Everything is extracted into a staging folder inside the target first and moved into
/// place only when the whole archive passed, so a refused archive leaves nothing behind.
/// </summary>
public static class SafeTarExtractor
{
    /// <summary>Extracts <paramref name="archivePath"/> (gzip detected by magic bytes) into <paramref name="destination"/>; returns the top-level entries created.</summary>
    public static IReadOnlyList<string> Extract(string archivePath, string destination)
    {
        Directory.CreateDirectory(destination);
        string destFull = Path.GetFullPath(destination);
        string staging = Path.Combine(destFull, $".extract-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            using (var fs = File.OpenRead(archivePath))
            {
                Stream s = fs;
                int b0 = fs.ReadByte(), b1 = fs.ReadByte();
                fs.Position = 0;
                if (b0 == 0x1f && b1 == 0x8b) s = new GZipStream(fs, CompressionMode.Decompress);
                using var reader = new TarReader(s, leaveOpen: false);
                while (reader.GetNextEntry() is { } entry)
                    ExtractEntry(entry, archivePath, staging);
            }
            var top = new List<string>();
            foreach (var item in Directory.EnumerateFileSystemEntries(staging))
            {
                string target = Path.Combine(destFull, Path.GetFileName(item));
                if (Directory.Exists(target) && Directory.Exists(item)) MergeDirectory(item, target);
                else if (Directory.Exists(item)) Directory.Move(item, target);
                else File.Move(item, target, overwrite: true);
                top.Add(target);
            }
            return top;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private static void ExtractEntry(TarEntry entry, string archive, string root)
    {
        string name = entry.Name.Replace('\\', '/');
        if (name.Length == 0) return;
        string target = Contained(root, name, archive, name);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                Directory.CreateDirectory(target);
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                entry.ExtractToFile(target, overwrite: true);
                break;
            case TarEntryType.SymbolicLink:
            {
                // A relative symlink target is resolved from the link's own folder.
                string link = entry.LinkName.Replace('\\', '/');
                string from = Path.GetDirectoryName(target)!;
                if (Path.IsPathRooted(link) || !IsInside(root, Path.GetFullPath(Path.Combine(from, link))))
                    throw new InvalidDataException($"Archive '{archive}': symbolic link '{name}' → '{entry.LinkName}' points outside the extraction folder; refusing to extract.");
                // Links inside the tree are not needed by any dataset we download; skipping them keeps extraction simple.
                break;
            }
            case TarEntryType.HardLink:
            {
                string link = entry.LinkName.Replace('\\', '/');
                if (Path.IsPathRooted(link) || !IsInside(root, Path.GetFullPath(Path.Combine(root, link))))
                    throw new InvalidDataException($"Archive '{archive}': hard link '{name}' → '{entry.LinkName}' points outside the extraction folder; refusing to extract.");
                break;
            }
            default:
                // pax/GNU metadata entries are consumed by TarReader; devices, fifos etc. are never extracted.
                break;
        }
    }

    private static string Contained(string root, string name, string archive, string entryName)
    {
        if (Path.IsPathRooted(name) || name.StartsWith('/') || (name.Length > 1 && name[1] == ':'))
            throw new InvalidDataException($"Archive '{archive}': entry '{entryName}' has an absolute path; refusing to extract.");
        if (name.Split('/').Any(seg => seg == ".."))
            throw new InvalidDataException($"Archive '{archive}': entry '{entryName}' contains '..'; refusing to extract.");
        string full = Path.GetFullPath(Path.Combine(root, name));
        if (!IsInside(root, full))
            throw new InvalidDataException($"Archive '{archive}': entry '{entryName}' resolves outside the extraction folder; refusing to extract.");
        return full;
    }

    private static bool IsInside(string root, string full)
    {
        string r = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
        return full.StartsWith(r, StringComparison.Ordinal) || full + Path.DirectorySeparatorChar == r;
    }

    private static void MergeDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.EnumerateFiles(from)) File.Move(f, Path.Combine(to, Path.GetFileName(f)), overwrite: true);
        foreach (var d in Directory.EnumerateDirectories(from)) MergeDirectory(d, Path.Combine(to, Path.GetFileName(d)));
    }
}
