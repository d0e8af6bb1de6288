using Spectre.Console;

namespace ModelDsl.Training;

/// <summary>
/// The Learner's view of the console. Separate implementations keep the training loop free of
/// rendering decisions: live bars for people, plain lines for logs, nothing for tests/benchmarks.
/// </summary>
internal abstract class ProgressReporter
{
    protected EpochTable Table { get; private set; } = new(Array.Empty<string>());

    /// <summary>Runs the whole fit; the live reporter needs to own the Spectre context around it.</summary>
    public virtual void Run(Action body) => body();

    public virtual void FitStart(IReadOnlyList<string> metricNames, bool printHeader)
    {
        Table = new EpochTable(metricNames);
        if (printHeader) WriteLine(Table.Header);
    }

    public virtual void EpochStart(int epoch, int firstEpoch, int lastEpoch, long? batches) { }
    public virtual void BatchEnd(int batch, double loss) { }
    public virtual void ValidationStart(long? batches) { }
    public virtual void EpochEnd(EpochRecord record) => WriteLine(Table.Row(record));
    public virtual void Message(string text) => WriteLine(text);

    protected abstract void WriteLine(string line);

    public static ProgressReporter Create(OutputMode mode, TextWriter? writer)
    {
        if (mode == OutputMode.Auto)
            mode = writer is null && IsInteractive() ? OutputMode.Live : OutputMode.Plain;
        return mode switch
        {
            OutputMode.Live => new LiveReporter(),
            OutputMode.Plain => new PlainReporter(writer ?? Console.Out),
            _ => new SilentReporter(),
        };
    }

    /// <summary>Live output only for a person at a terminal: not redirected, not CI, and Spectre agrees.</summary>
    internal static bool IsInteractive() =>
        !Console.IsOutputRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TF_BUILD"))
        && AnsiConsole.Profile.Capabilities.Interactive;
}

internal sealed class SilentReporter : ProgressReporter
{
    protected override void WriteLine(string line) { }
}

internal sealed class PlainReporter(TextWriter writer) : ProgressReporter
{
    protected override void WriteLine(string line)
    {
        writer.WriteLine(line);
        writer.Flush(); // CI shows a line when it is written, not when the process exits.
    }
}

/// <summary>
/// A Spectre.Console progress bar per epoch. Table rows and messages are written through
/// AnsiConsole so that Spectre renders them above the live bar instead of tearing it.
/// </summary>
internal sealed class LiveReporter : ProgressReporter
{
    private ProgressContext? _ctx;
    private ProgressTask? _task;
    private string _prefix = "";
    private long _lastRefreshTicks;

    public override void Run(Action body)
    {
        AnsiConsole.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                _ctx = ctx;
                try { body(); }
                finally { _task?.StopTask(); _ctx = null; }
            });
    }

    public override void EpochStart(int epoch, int firstEpoch, int lastEpoch, long? batches)
    {
        _task?.StopTask();
        // The table's epoch numbers are 0-based and continue across fits; the bar also says how far into this fit.
        _prefix = $"epoch {epoch} ({epoch - firstEpoch + 1}/{lastEpoch - firstEpoch + 1})";
        _task = _ctx?.AddTask(_prefix, autoStart: true, maxValue: batches ?? 1);
        if (_task is not null && batches is null) _task.IsIndeterminate = true;
    }

    public override void BatchEnd(int batch, double loss)
    {
        if (_task is null) return;
        _task.Value = batch + 1;
        // Rebuilding the description string every batch is wasted work; ~10 updates/s is plenty.
        long now = Environment.TickCount64;
        if (now - _lastRefreshTicks < 100) return;
        _lastRefreshTicks = now;
        _task.Description = $"{_prefix} train loss {loss:0.0000}";
    }

    public override void ValidationStart(long? batches)
    {
        if (_task is null) return;
        _task.Description = $"{_prefix} validating";
    }

    public override void EpochEnd(EpochRecord record)
    {
        if (_task is not null) { _task.Value = _task.MaxValue; _task.StopTask(); _task = null; }
        base.EpochEnd(record);
    }

    protected override void WriteLine(string line) => AnsiConsole.WriteLine(line);
}
