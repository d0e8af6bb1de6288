using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelDsl.Training;

/// <summary>
/// A fit the NaN guard had to stop (<see cref="Learner.Failure"/>), as an exception for jobs that end on it:
/// the one-line reason and the history of the epochs that did finish. <see cref="WriteMetrics"/> leaves a
/// metrics.json that says so, so a script that reads it finds a <c>stopped</c> field instead of a missing file.
/// </summary>
public sealed class TrainingStoppedException(string reason, History history) : Exception(reason)
{
    /// <summary>The guard's message, one line.</summary>
    public string Reason { get; } = reason;

    /// <summary>The epochs finished before the stop (possibly none).</summary>
    public History History { get; } = history;

    /// <summary>
    /// Writes <c>metrics.json</c> in <paramref name="outputDirectory"/> (atomically: a temporary file renamed over it):
    /// <c>stopped</c> (the reason), <c>epochs</c> (each finished epoch as <see cref="Training.History.ToJson"/> writes it)
    /// and whatever <paramref name="extra"/> the job knows. Returns the file's path.
    /// </summary>
    public string WriteMetrics(string outputDirectory, IReadOnlyDictionary<string, object?>? extra = null)
    {
        var json = new JsonObject { ["stopped"] = Reason, ["epochs"] = JsonNode.Parse(History.ToJson())!["epochs"]!.DeepClone() };
        foreach (var (key, value) in extra ?? new Dictionary<string, object?>())
            if (!json.ContainsKey(key)) json[key] = JsonSerializer.SerializeToNode(value);
        string path = Path.Combine(outputDirectory, "metrics.json");
        AtomicFile.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        return path;
    }

    /// <summary>
    /// How a job ends on a stopped fit: writes metrics.json (<see cref="WriteMetrics"/>) when the job has an output
    /// folder, prints one line naming the reason (and the file) on <paramref name="errors"/>, and returns exit code 1 —
    /// no stack trace.
    /// </summary>
    public int Report(string? outputDirectory, TextWriter errors, IReadOnlyDictionary<string, object?>? extra = null)
    {
        string written = "";
        if (outputDirectory is not null)
        {
            try { written = $" (metrics.json with \"stopped\" written to {WriteMetrics(outputDirectory, extra)})"; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { written = $" (metrics.json not written: {e.Message})"; }
        }
        errors.WriteLine($"stopped: {Reason}{written}");
        return 1;
    }
}
