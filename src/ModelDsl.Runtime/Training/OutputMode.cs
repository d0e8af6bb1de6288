namespace ModelDsl.Training;

/// <summary>How a <see cref="Learner"/> reports progress.</summary>
public enum OutputMode
{
    /// <summary>
    /// <see cref="Live"/> on an interactive terminal; <see cref="Plain"/> when the output is redirected
    /// (a file, a pipe, a test runner) or the <c>CI</c> environment variable is set, because escape
    /// codes and redrawn progress bars turn CI logs into noise.
    /// </summary>
    Auto,
    /// <summary>A Spectre.Console progress bar per epoch, plus the epoch table rows above it.</summary>
    Live,
    /// <summary>Only the aligned epoch table and messages, one line each, no escape codes.</summary>
    Plain,
    /// <summary>Nothing is printed; results are in <see cref="Learner.History"/>.</summary>
    Silent,
}
