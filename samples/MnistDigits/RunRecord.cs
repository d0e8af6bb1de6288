using System.Globalization;
using System.Text.Json;

namespace MnistDigits;

/// <summary>
/// What a run was started with — the options that decide its batches and schedule, and a summary of its data — kept in
/// every checkpoint it writes (<c>Learner.CheckpointNotes</c>). <c>--resume</c> reads it back: an option left out takes the
/// checkpoint's value, and one given with another value, or data that changed, is refused with every difference listed —
/// a resumed run that silently trained on other batches or another schedule would be neither run.
/// </summary>
public sealed record RunRecord(string? Data, int Epochs, int BatchSize, double LearningRate, int Seed, string? DataSummary = null)
{
    /// <summary>The key of the record among the checkpoint's notes.</summary>
    public const string NoteKey = "mnistdigits.run";

    /// <summary>The command-line names of the options the record holds, as <see cref="JobSettings.GivenOptions"/> lists them.</summary>
    public static readonly string[] Options = ["--data", "--epochs", "--batch-size", "--lr", "--seed"];

    public static RunRecord Of(JobSettings settings, string? dataSummary = null)
        => new(settings.Data is null ? null : Path.GetFullPath(settings.Data), settings.Epochs, settings.BatchSize, settings.LearningRate, settings.Seed, dataSummary);

    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>The record in a checkpoint's notes; null for a checkpoint written without one (then nothing can be checked).</summary>
    public static RunRecord? FromNotes(IReadOnlyDictionary<string, string>? notes)
        => notes is not null && notes.TryGetValue(NoteKey, out var json) ? JsonSerializer.Deserialize<RunRecord>(json) : null;

    /// <summary><paramref name="settings"/> with every option the command line did not give taken from this record.</summary>
    public JobSettings Fill(JobSettings settings) => settings with
    {
        Data = settings.Gave("--data") ? settings.Data : Data,
        Epochs = settings.Gave("--epochs") ? settings.Epochs : Epochs,
        BatchSize = settings.Gave("--batch-size") ? settings.BatchSize : BatchSize,
        LearningRate = settings.Gave("--lr") ? settings.LearningRate : LearningRate,
        Seed = settings.Gave("--seed") ? settings.Seed : Seed,
    };

    /// <summary>"--epochs 3, --batch-size 64, …": the values a resumed run took from the checkpoint (options not given).</summary>
    public string Taken(JobSettings settings)
        => string.Join(", ", Options.Where(o => !settings.Gave(o)).Select(o => $"{o} {Value(o)}"));

    /// <summary>Each option (and the data) where <paramref name="now"/> differs from this record: "--epochs 10 (the checkpoint's run: 3)".</summary>
    public List<string> Differences(RunRecord now)
    {
        var differences = Options.Where(o => Value(o) != now.Value(o)).Select(o => $"{o} {now.Value(o)} (the checkpoint's run: {Value(o)})").ToList();
        if (DataSummary is not null && now.DataSummary is not null && DataSummary != now.DataSummary)
            differences.Add($"the data is {now.DataSummary} (the checkpoint's run: {DataSummary})");
        return differences;
    }

    private string Value(string option) => option switch
    {
        "--data" => Data ?? "(the bundled MNIST subset)",
        "--epochs" => Epochs.ToString(CultureInfo.InvariantCulture),
        "--batch-size" => BatchSize.ToString(CultureInfo.InvariantCulture),
        "--lr" => LearningRate.ToString("R", CultureInfo.InvariantCulture),
        "--seed" => Seed.ToString(CultureInfo.InvariantCulture),
        _ => throw new ArgumentOutOfRangeException(nameof(option), option, null),
    };
}

/// <summary>A <c>--resume</c> whose options or data differ from the checkpoint's run: one line, every difference listed.</summary>
public sealed class ResumeMismatchException(string message) : Exception(message);
