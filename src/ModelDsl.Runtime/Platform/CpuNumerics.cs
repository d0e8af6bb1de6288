using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace ModelDsl.Platform;

/// <summary>
/// Right numbers on every CPU (docs/TRAINING.md, "Right numbers on every CPU"). libtorch 2.10, which TorchSharp
/// 0.107 brings, computes wrong or NaN float32 convolution input gradients and stride-1 transposed convolutions on
/// some AVX-512 CPUs (its oneDNN 3.7.1's avx512_core backward-data kernels, at channel counts that are not a
/// multiple of 16; the fault moves from run to run). Before ModelDsl runs its first model, this class runs a
/// known-answer check of that family (<see cref="ConvolutionCheck"/>; 0.1–1.3 s, docs/TRAINING.md) and, where it fails,
/// switches libtorch's oneDNN kernels off for the process, checks again and says so in one line on stderr. It also
/// records the fault (<see cref="FaultVerdicts"/>), so that later processes on the machine cap oneDNN at AVX2 from
/// their start instead: right as well, and much cheaper (docs/BENCHMARKS.md, "The CPU convolution fix").
/// <para>When it runs: at the first forward of any generated model (its input check calls
/// <see cref="EnsureChecked"/>), when a <see cref="Training.Learner"/> is built, or when called. Choose another
/// behaviour with <see cref="Fix"/> before that, or with the environment variable <c>MODELDSL_CPU_CONV_FIX</c>
/// (read when the ModelDsl assembly loads, so it also reaches oneDNN before its first convolution).</para>
/// </summary>
public static class CpuNumerics
{
    /// <summary>The environment variable that chooses <see cref="Fix"/>: auto, off, check, onednn-off or avx2.</summary>
    public const string EnvironmentVariable = "MODELDSL_CPU_CONV_FIX";

    private static readonly object Gate = new();
    private static volatile CpuNumericsReport? _report;
    private static string? _cappedForRecordedFault;
    private static CpuConvolutionFix? _chosen;

    /// <summary>Where the one line goes when a fault is found or a fix applied (default: standard error).</summary>
    public static TextWriter Log { get; set; } = Console.Error;

    /// <summary>
    /// The assembly's load: the one moment early enough for oneDNN's instruction-set cap, which oneDNN reads from
    /// the native environment at its first convolution. Nothing else happens here (no libtorch call, nothing that
    /// can throw), so loading ModelDsl stays cheap and safe.
    /// </summary>
#pragma warning disable CA2255 // A library's module initializer: the only point that precedes every use of ModelDsl.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void OnAssemblyLoad()
    {
        try
        {
            var fix = FromEnvironment(out _);
            if (fix == CpuConvolutionFix.CapOneDnnAtAvx2) CapOneDnn();
            // A fault found on this machine by an earlier process: the cheaper fix, in time for oneDNN's first look.
            else if (fix == CpuConvolutionFix.Auto && FaultVerdicts.Recorded() is { } verdict && CapOneDnn()) _cappedForRecordedFault = verdict;
        }
        catch
        {
            // A module initializer must not throw: the check reports the same problem later, with its reason.
        }
    }

    /// <summary>
    /// What ModelDsl does about CPU convolutions: the environment variable's choice, else <see cref="CpuConvolutionFix.Auto"/>.
    /// Setting it applies it at once (before or after the check): <see cref="CpuConvolutionFix.DisableOneDnn"/> and
    /// back take effect for every later convolution; <see cref="CpuConvolutionFix.CapOneDnnAtAvx2"/> only before the
    /// process's first convolution.
    /// </summary>
    public static CpuConvolutionFix Fix
    {
        get { lock (Gate) return _chosen ?? FromEnvironment(out _); }
        set
        {
            lock (Gate)
            {
                _chosen = value;
                if (_report is not null) _report = Apply(value, _report.OneDnnWasEnabled);
            }
        }
    }

    /// <summary>
    /// Where a fault found on this machine is recorded (per CPU and TorchSharp version, under <c>MODELDSL_HOME</c> or
    /// <c>~/.cache/modeldsl</c>); while that file exists, processes start with oneDNN capped at AVX2. Delete it to check afresh.
    /// </summary>
    public static string RecordedFaultPath => FaultVerdicts.PathForThisMachine();

    /// <summary>What the check found and what was done; runs the check first if it has not run.</summary>
    public static CpuNumericsReport Report => EnsureChecked();

    /// <summary>
    /// Runs the known-answer check and applies <see cref="Fix"/>, once per process; later calls return the same report
    /// at the cost of a field read. Never throws: a libtorch that cannot be reached is a report saying so.
    /// </summary>
    public static CpuNumericsReport EnsureChecked()
    {
        if (_report is { } done) return done;
        lock (Gate)
        {
            if (_report is { } raced) return raced;
            bool oneDnn;
            try { oneDnn = LibTorchSwitches.MkldnnEnabled ?? true; }
            catch (Exception) { oneDnn = true; }
            string? problem = null;
            var fix = _chosen ?? FromEnvironment(out problem);
            if (problem is not null) Log.WriteLine("ModelDsl: " + problem);
            var report = Apply(fix, oneDnn);
            _report = report;
            return report;
        }
    }

    /// <summary>Test hook: forget the report and the choice, put oneDNN back as it was, so the next call checks again.</summary>
    internal static void ResetForTests()
    {
        lock (Gate)
        {
            if (_report is { } r) LibTorchSwitches.TrySetMkldnnEnabled(r.OneDnnWasEnabled);
            _report = null;
            _chosen = null;
        }
    }

    /// <summary>Test hook: the check's stand-in for a faulty kernel (applied to every float32 output of the check).</summary>
    internal static Func<Tensor, Tensor>? SimulatedFault { get; set; }

    private static CpuNumericsReport Apply(CpuConvolutionFix fix, bool oneDnnWasEnabled)
    {
        try
        {
            var report = Decide(fix, oneDnnWasEnabled);
            if (report.Message is { } line) Log.WriteLine(line);
            return report;
        }
        catch (Exception e)
        {
            // E.g. libtorch cannot load at all: the first tensor the user makes throws TorchSharp's own error.
            return new CpuNumericsReport(fix, null, null, null, TimeSpan.Zero, oneDnnWasEnabled, LibTorchSwitches.MkldnnEnabled,
                $"ModelDsl: the CPU convolution check could not run ({e.GetType().Name}: {e.Message.Split('\n')[0]}).");
        }
    }

    private static CpuNumericsReport Decide(CpuConvolutionFix fix, bool oneDnnWasEnabled)
    {
        // Whatever an earlier choice did, start from oneDNN as the process had it.
        LibTorchSwitches.TrySetMkldnnEnabled(oneDnnWasEnabled);
        // Every report states oneDNN as it is after the decision.
        CpuNumericsReport Made(bool? passed, bool? passedAfterFix, string? fault, TimeSpan time, string? message) =>
            new(fix, passed, passedAfterFix, fault, time, oneDnnWasEnabled, LibTorchSwitches.MkldnnEnabled, message);
        switch (fix)
        {
            case CpuConvolutionFix.Off:
                return Made(null, null, null, TimeSpan.Zero, null);
            case CpuConvolutionFix.CheckOnly:
            {
                var check = ConvolutionCheck.Run(SimulatedFault);
                return Made(check.Passed, null, check.Worst, check.Elapsed,
                    check.Passed ? null : $"ModelDsl: libtorch's CPU convolutions are wrong on this CPU ({check.Worst}); left as they are ({EnvironmentVariable}=check).");
            }
            case CpuConvolutionFix.DisableOneDnn:
            {
                bool switched = LibTorchSwitches.TrySetMkldnnEnabled(false);
                var check = ConvolutionCheck.Run(SimulatedFault);
                return Made(null, check.Passed, check.Worst, check.Elapsed,
                    switched ? $"ModelDsl: libtorch's oneDNN convolutions switched off ({EnvironmentVariable}=onednn-off){(check.Passed ? "" : $"; the check still fails: {check.Worst}")}."
                             : "ModelDsl: could not switch libtorch's oneDNN off (its switch is not exported by this libtorch).");
            }
            case CpuConvolutionFix.CapOneDnnAtAvx2:
            {
                bool capped = CapOneDnn();
                var check = ConvolutionCheck.Run(SimulatedFault);
                return Made(null, check.Passed, check.Worst, check.Elapsed,
                    (capped ? $"ModelDsl: oneDNN capped at AVX2 ({EnvironmentVariable}=avx2; in effect only if no convolution ran before)"
                            : "ModelDsl: could not set ONEDNN_MAX_CPU_ISA in the native environment") +
                    (check.Passed ? "." : $"; the check fails: {check.Worst}."));
            }
            default:
            {
                var first = ConvolutionCheck.Run(SimulatedFault);
                if (first.Passed && _cappedForRecordedFault is { } recorded)
                    return Made(null, true, recorded, first.Elapsed,
                        $"ModelDsl: oneDNN capped at AVX2 for this process: this CPU's AVX-512 convolutions were found wrong before ({FaultVerdicts.PathForThisMachine()}); the check passes.");
                if (first.Passed)
                    return Made(true, null, null, first.Elapsed, null);
                string? recordedAt = _cappedForRecordedFault is null ? FaultVerdicts.Record(first.Worst!) : null;
                string later = recordedAt is not null ? $"; later processes cap oneDNN at AVX2 instead, which is faster (recorded in {recordedAt})" : "";
                if (!LibTorchSwitches.TrySetMkldnnEnabled(false))
                    return Made(false, null, first.Worst, first.Elapsed,
                        $"ModelDsl: libtorch's CPU convolutions are wrong on this CPU ({first.Worst}) and its oneDNN switch cannot be reached; " +
                        $"set ONEDNN_MAX_CPU_ISA=AVX2 before starting the process (docs/TRAINING.md, \"Right numbers on every CPU\").");
                var second = ConvolutionCheck.Run(SimulatedFault);
                return Made(false, second.Passed, first.Worst, first.Elapsed + second.Elapsed,
                    $"ModelDsl: libtorch's oneDNN convolutions are wrong on this {CpuWords()} ({first.Worst}); " +
                    (second.Passed ? "switched them off for this process, the check now passes" : $"switched them off, but the check still fails ({second.Worst})") +
                    later + $" ({EnvironmentVariable}=off keeps them; docs/TRAINING.md, \"Right numbers on every CPU\").");
            }
        }
    }

    private static string CpuWords() => Avx512F.IsSupported ? "AVX-512 CPU" : "CPU";

    /// <summary>ONEDNN_MAX_CPU_ISA=AVX2 in the native environment, unless the user set a value of their own.</summary>
    private static bool CapOneDnn() =>
        LibTorchSwitches.NativeEnvironment("ONEDNN_MAX_CPU_ISA") is { Length: > 0 } ||
        LibTorchSwitches.TrySetNativeEnvironment("ONEDNN_MAX_CPU_ISA", "AVX2");

    /// <summary>The environment variable's choice (Auto when unset); an unknown value is Auto, named in <paramref name="problem"/>.</summary>
    internal static CpuConvolutionFix FromEnvironment(out string? problem)
    {
        problem = null;
        var value = Environment.GetEnvironmentVariable(EnvironmentVariable)?.Trim().ToLowerInvariant();
        switch (value)
        {
            case null or "" or "auto": return CpuConvolutionFix.Auto;
            case "off" or "none" or "0" or "false": return CpuConvolutionFix.Off;
            case "check": return CpuConvolutionFix.CheckOnly;
            case "onednn-off" or "mkldnn-off": return CpuConvolutionFix.DisableOneDnn;
            case "avx2": return CpuConvolutionFix.CapOneDnnAtAvx2;
            default:
                problem = $"{EnvironmentVariable}={value} is not one of auto, off, check, onednn-off, avx2; using auto.";
                return CpuConvolutionFix.Auto;
        }
    }
}
