namespace ModelDsl.Platform;

/// <summary>What <see cref="CpuNumerics"/> found and did in this process.</summary>
/// <param name="Fix">The behaviour in force.</param>
/// <param name="CheckPassed">The known-answer check on libtorch as it came (null when it did not run that way).</param>
/// <param name="CheckPassedAfterFix">The check after the fix was applied (null when no fix was applied).</param>
/// <param name="Fault">The worst failing case in words, when a check failed.</param>
/// <param name="CheckTime">Time spent in the checks.</param>
/// <param name="OneDnnWasEnabled">Whether libtorch used oneDNN before ModelDsl looked.</param>
/// <param name="OneDnnEnabled">Whether it does now (null when the switch cannot be read).</param>
/// <param name="Message">The one line logged, or null when there was nothing to say (the check passed).</param>
public sealed record CpuNumericsReport(
    CpuConvolutionFix Fix,
    bool? CheckPassed,
    bool? CheckPassedAfterFix,
    string? Fault,
    TimeSpan CheckTime,
    bool OneDnnWasEnabled,
    bool? OneDnnEnabled,
    string? Message)
{
    /// <summary>Whether convolutions are known to be right now: the last check that ran passed.</summary>
    public bool ConvolutionsRight => (CheckPassedAfterFix ?? CheckPassed) == true;
}
