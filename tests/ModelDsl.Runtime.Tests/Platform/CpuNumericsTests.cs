using ModelDsl.Platform;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Platform;

/// <summary>
/// The known-answer check and what ModelDsl does with its answer. The fault itself cannot be summoned on a CPU that
/// computes right, so the decisions are driven by a stand-in fault that, like the real one, lives only in oneDNN's
/// kernels (it corrupts float32 results while oneDNN is on). These tests switch oneDNN process-wide, so they run
/// in the non-parallel collection and put everything back.
/// </summary>
[Collection("Training")]
public sealed class CpuNumericsTests : IDisposable
{
    private readonly StringWriter _log = new();
    private readonly TextWriter _previousLog = CpuNumerics.Log;
    // A stand-in fault is recorded like a real one: into a folder of the test's, never the user's cache.
    private readonly string _home = Path.Combine(Path.GetTempPath(), "mdsl-home-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string? _previousHome = Environment.GetEnvironmentVariable("MODELDSL_HOME");

    public CpuNumericsTests()
    {
        Environment.SetEnvironmentVariable("MODELDSL_HOME", _home);
        CpuNumerics.Log = _log;
        CpuNumerics.ResetForTests();
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("MODELDSL_HOME", _previousHome);
        if (Directory.Exists(_home)) Directory.Delete(_home, recursive: true);
        CpuNumerics.SimulatedFault = null;
        CpuNumerics.ResetForTests();
        CpuNumerics.Log = _previousLog;
        CpuNumerics.EnsureChecked(); // the process goes on as a user's would
    }

    /// <summary>Wrong by 30 % in one channel while oneDNN is on, as the reported fault (finite but wrong).</summary>
    private static Tensor OneDnnFault(Tensor t)
    {
        if (LibTorchSwitches.MkldnnEnabled != true) return t;
        var wrong = t.clone();
        using (no_grad()) wrong[TensorIndex.Colon, TensorIndex.Single(0)].mul_(1.3);
        return t + (wrong - t).detach();
    }

    [Fact]
    public void The_check_passes_on_this_cpu_as_libtorch_is_used_and_takes_milliseconds()
    {
        // Whatever this CPU is, the process as ModelDsl leaves it computes right: that is the product's promise.
        CpuNumerics.EnsureChecked();
        var result = ConvolutionCheck.Run();
        Assert.True(result.Passed, result.Worst);
        Assert.Equal(ConvolutionCheck.Cases.Count, result.Cases.Count);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(5), $"the check took {result.Elapsed}"); // a hang, not a timing claim
    }

    [Fact]
    public void The_check_finds_a_kernel_that_is_off_by_30_percent_or_NaN_and_names_the_case()
    {
        var wrong = ConvolutionCheck.Run(t => t * 1.3);
        Assert.False(wrong.Passed);
        Assert.Contains("off by", wrong.Worst);
        var nan = ConvolutionCheck.Run(t => t + (t[0, 0, 0, 0] * double.NaN));
        Assert.False(nan.Passed);
        Assert.Contains("NaN", nan.Worst);
        // A fault in the gradient only (the reported one): forward right, backward wrong.
        var gradientOnly = ConvolutionCheck.Run(t => GradientScaled(t, 0.7));
        Assert.False(gradientOnly.Passed);
        Assert.Contains("gradient of input 0", gradientOnly.Worst);
    }

    /// <summary>The same value forward; backward, the gradient flowing through is scaled.</summary>
    private static Tensor GradientScaled(Tensor t, double factor) => t * factor + (t * (1 - factor)).detach();

    [Fact]
    public void Auto_switches_oneDNN_off_where_the_check_fails_checks_again_and_says_so_once()
    {
        CpuNumerics.SimulatedFault = OneDnnFault;
        var report = CpuNumerics.EnsureChecked();
        Assert.Equal(CpuConvolutionFix.Auto, report.Fix);
        Assert.False(report.CheckPassed);
        Assert.True(report.CheckPassedAfterFix);
        Assert.True(report.ConvolutionsRight);
        Assert.Equal(false, LibTorchSwitches.MkldnnEnabled);
        Assert.Equal(false, report.OneDnnEnabled);
        Assert.Same(report, CpuNumerics.EnsureChecked()); // once per process
        var lines = _log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains("wrong on this", lines[0]);
        Assert.Contains("switched them off for this process, the check now passes", lines[0]);
        Assert.Contains("MODELDSL_CPU_CONV_FIX", lines[0]);
        // Recorded for the next process (which caps oneDNN at AVX2 before its first convolution), under MODELDSL_HOME.
        string verdict = FaultVerdicts.PathForThisMachine();
        Assert.StartsWith(_home, verdict);
        Assert.Contains("later processes cap oneDNN at AVX2 instead, which is faster (recorded in " + verdict, lines[0]);
        Assert.Contains(report.Fault!, File.ReadAllText(verdict));
        Assert.Equal(File.ReadAllText(verdict).Trim(), FaultVerdicts.Recorded());
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(verdict)!, "*.tmp"));
    }

    [Fact]
    public void Auto_changes_nothing_and_says_nothing_where_the_check_passes()
    {
        var report = CpuNumerics.EnsureChecked();
        Assert.True(report.CheckPassed);
        Assert.Null(report.CheckPassedAfterFix);
        Assert.Null(report.Message);
        Assert.Equal(report.OneDnnWasEnabled, LibTorchSwitches.MkldnnEnabled);
        Assert.Equal("", _log.ToString());
        Assert.Null(FaultVerdicts.Recorded()); // a pass is never recorded: the fault comes and goes
    }

    [Fact]
    public void CheckOnly_reports_the_fault_and_leaves_oneDNN_on()
    {
        CpuNumerics.SimulatedFault = OneDnnFault;
        CpuNumerics.Fix = CpuConvolutionFix.CheckOnly;
        var report = CpuNumerics.EnsureChecked();
        Assert.False(report.CheckPassed);
        Assert.False(report.ConvolutionsRight);
        Assert.Equal(true, LibTorchSwitches.MkldnnEnabled);
        Assert.Contains("left as they are", report.Message);
    }

    [Fact]
    public void The_fix_can_be_chosen_in_code_after_the_check_and_takes_effect_at_once()
    {
        CpuNumerics.EnsureChecked();
        CpuNumerics.Fix = CpuConvolutionFix.DisableOneDnn;
        Assert.Equal(false, LibTorchSwitches.MkldnnEnabled);
        Assert.True(CpuNumerics.Report.ConvolutionsRight);
        CpuNumerics.Fix = CpuConvolutionFix.Off;
        Assert.Equal(true, LibTorchSwitches.MkldnnEnabled);
        Assert.Null(CpuNumerics.Report.CheckPassed);
    }

    [Theory]
    [InlineData(null, CpuConvolutionFix.Auto)]
    [InlineData("auto", CpuConvolutionFix.Auto)]
    [InlineData("off", CpuConvolutionFix.Off)]
    [InlineData("check", CpuConvolutionFix.CheckOnly)]
    [InlineData(" OneDNN-Off ", CpuConvolutionFix.DisableOneDnn)]
    [InlineData("avx2", CpuConvolutionFix.CapOneDnnAtAvx2)]
    public void The_environment_variable_chooses_the_fix(string? value, CpuConvolutionFix expected)
    {
        var before = Environment.GetEnvironmentVariable(CpuNumerics.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(CpuNumerics.EnvironmentVariable, value);
            Assert.Equal(expected, CpuNumerics.FromEnvironment(out var problem));
            Assert.Null(problem);
        }
        finally { Environment.SetEnvironmentVariable(CpuNumerics.EnvironmentVariable, before); }
    }

    [Fact]
    public void An_unknown_environment_value_is_named_and_auto_is_used()
    {
        var before = Environment.GetEnvironmentVariable(CpuNumerics.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(CpuNumerics.EnvironmentVariable, "avx-512");
            Assert.Equal(CpuConvolutionFix.Auto, CpuNumerics.FromEnvironment(out var problem));
            Assert.Contains("MODELDSL_CPU_CONV_FIX=avx-512", problem);
            Assert.Contains("onednn-off", problem);
        }
        finally { Environment.SetEnvironmentVariable(CpuNumerics.EnvironmentVariable, before); }
    }
}
