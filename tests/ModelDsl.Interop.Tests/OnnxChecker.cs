using ModelDsl.Runtime.Tests.Interop;
using Xunit;

namespace ModelDsl.Interop.Tests;

/// <summary>ONNX's own checker (Debian's python3-onnx) on exported files, through the one Python helper of the tests.</summary>
public static class OnnxChecker
{
    /// <summary>Runs the onnx checker (with shape inference) on every file; fails listing each file it rejects.</summary>
    public static void Check(IReadOnlyCollection<string> files)
    {
        const string script = """
            import sys, onnx
            bad = []
            for path in sys.argv[1:]:
                try:
                    onnx.checker.check_model(onnx.load(path), full_check=True)
                except Exception as e:
                    bad.append(f"{path}: {type(e).__name__}: {e}".replace("\n", " ")[:400])
            print(f"checked {len(sys.argv) - 1}")
            print("\n".join(bad))
            sys.exit(1 if bad else 0)
            """;
        var workDir = Directory.CreateTempSubdirectory("onnx-check-").FullName;
        try
        {
            // SystemPython fails the test with everything printed when the checker exits non-zero.
            var output = SystemPython.Run(script, workDir, files, [SystemPython.Onnx]);
            Assert.Contains($"checked {files.Count}", output);
        }
        finally { Directory.Delete(workDir, recursive: true); }
    }
}
