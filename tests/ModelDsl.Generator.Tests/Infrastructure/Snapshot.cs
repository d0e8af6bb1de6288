using System.Runtime.CompilerServices;
using Xunit;

namespace ModelDsl.Generator.Tests.Infrastructure;

/// <summary>
/// Checked-in expected files next to the tests (Snapshots/NAME.verified.cs). A mismatch fails and
/// writes NAME.received.cs beside it; set MODELDSL_UPDATE_SNAPSHOTS=1 to accept the new output.
/// </summary>
public static class Snapshot
{
    public static void Match(string name, string actual, [CallerFilePath] string callerFile = "")
    {
        string dir = Path.Combine(Path.GetDirectoryName(callerFile)!, "Snapshots");
        string verified = Path.GetFullPath(Path.Combine(dir, name + ".verified.cs"));
        string received = Path.GetFullPath(Path.Combine(dir, name + ".received.cs"));
        actual = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable("MODELDSL_UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(verified, actual);
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        if (!File.Exists(verified))
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(received, actual);
            Assert.Fail($"No snapshot {verified}; the output was written to {received}. Run with MODELDSL_UPDATE_SNAPSHOTS=1 to accept it.");
        }
        string expected = File.ReadAllText(verified).Replace("\r\n", "\n");
        if (expected != actual)
        {
            File.WriteAllText(received, actual);
            var e = expected.Split('\n'); var a = actual.Split('\n');
            int line = Enumerable.Range(0, Math.Min(e.Length, a.Length)).FirstOrDefault(i => e[i] != a[i], Math.Min(e.Length, a.Length));
            Assert.Fail($"Snapshot {name} differs at line {line + 1}:\n expected: {(line < e.Length ? e[line] : "<end>")}\n actual:   {(line < a.Length ? a[line] : "<end>")}\nReceived output: {received}. Run with MODELDSL_UPDATE_SNAPSHOTS=1 to accept it.");
        }
        else if (File.Exists(received)) File.Delete(received);
    }
}
