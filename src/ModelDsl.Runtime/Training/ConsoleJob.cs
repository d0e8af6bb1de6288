namespace ModelDsl.Training;

/// <summary>
/// How a training console app ends, one convention for all (the samples use it): a bad argument is one line and exit code 2,
/// a file or data problem (unreadable, corrupt, a dataset that cannot be downloaded) one line and 1, a fit the NaN guard
/// stopped its <see cref="TrainingStoppedException.Report"/> (metrics.json where there is an output folder) and 1 — never a
/// stack trace; 0 when the work is done.
/// </summary>
public static class ConsoleJob
{
    /// <param name="work">The job.</param>
    /// <param name="errors">Where the one line goes.</param>
    /// <param name="problem">What is wrong with the arguments, or null (checked before any work).</param>
    /// <param name="outputDirectory">The job's output folder, for a stopped fit's metrics.json; null when it has none.</param>
    public static int Run(Action work, TextWriter errors, string? problem = null, string? outputDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(errors);
        if (problem is not null)
        {
            errors.WriteLine($"error: {problem}");
            return 2;
        }
        try
        {
            work();
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // DatasetUnavailableException (an IOException) carries the downloader's "offline: put the files here" text.
            errors.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (TrainingStoppedException stopped)
        {
            return stopped.Report(outputDirectory is null ? null : Path.GetFullPath(outputDirectory), errors);
        }
    }
}
