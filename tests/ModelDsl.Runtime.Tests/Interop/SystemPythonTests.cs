using Xunit;
using static ModelDsl.Runtime.Tests.Training.TrainingTestUtil;

namespace ModelDsl.Runtime.Tests.Interop;

/// <summary>The Python helper itself: Debian's interpreter first, and a missing module is a failure naming its apt package.</summary>
public class SystemPythonTests
{
    [Fact]
    public void Debians_interpreter_is_preferred_when_it_exists()
    {
        Assert.Equal(File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3", SystemPython.Interpreter);
    }

    [Fact]
    public void A_missing_module_fails_the_test_naming_the_apt_package()
    {
        var dir = TempDir();
        try
        {
            var e = Assert.ThrowsAny<Exception>(() =>
                SystemPython.Run("import modeldsl_no_such_module\n", dir, [], [("modeldsl_no_such_module", "python3-modeldsl-no-such-module")]));
            Assert.Contains("install the Debian package python3-modeldsl-no-such-module", e.Message);
            Assert.Contains("No module named 'modeldsl_no_such_module'", e.Message); // and what Python printed
        }
        finally { Directory.Delete(dir, true); }
    }
}
