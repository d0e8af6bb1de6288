using System.Text;

namespace ModelDsl;

/// <summary>
/// Writes a file so that a reader — or a crash (kill -9) in the middle — sees the old contents or the new, never half:
/// the text goes to a temporary file beside it, which is then renamed over it.
/// </summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string text)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        File.WriteAllText(tmp, text, new UTF8Encoding(false));
        File.Move(tmp, full, overwrite: true);
    }
}
