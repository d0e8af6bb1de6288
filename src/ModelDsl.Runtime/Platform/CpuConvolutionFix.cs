namespace ModelDsl.Platform;

/// <summary>
/// What ModelDsl does about CPU convolutions that libtorch computes wrongly (docs/TRAINING.md, "Right numbers on
/// every CPU"). Set by <see cref="CpuNumerics.Fix"/> or the environment variable <c>MODELDSL_CPU_CONV_FIX</c>
/// (<c>auto</c>, <c>off</c>, <c>check</c>, <c>onednn-off</c>, <c>avx2</c>).
/// </summary>
public enum CpuConvolutionFix
{
    /// <summary>
    /// The default: run the known-answer check; where it fails, switch libtorch's oneDNN kernels off for the
    /// process (its own kernels are right) and check again. Nothing changes on a CPU where the check passes.
    /// </summary>
    Auto,

    /// <summary>Neither check nor change anything.</summary>
    Off,

    /// <summary>Run the check and report it, change nothing (to see the fault, or to compare).</summary>
    CheckOnly,

    /// <summary>Switch libtorch's oneDNN kernels off whatever the check says (Python's <c>torch.backends.mkldnn.enabled = False</c>).</summary>
    DisableOneDnn,

    /// <summary>
    /// Keep oneDNN but cap it at AVX2 (<c>ONEDNN_MAX_CPU_ISA=AVX2</c>). oneDNN reads this once, at its first
    /// convolution, so it only takes effect when chosen before the process's first convolution: by the
    /// environment variable, or by <see cref="CpuNumerics.Fix"/> before any model runs.
    /// </summary>
    CapOneDnnAtAvx2,
}
