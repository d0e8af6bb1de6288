using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// A training checkpoint: every tensor of the model's state_dict (parameters and buffers such as
/// BatchNorm running statistics), the optimizer's state (momentum / Adam moments and step counts),
/// and a JSON block with the epoch, the position in the epoch, step, seed, fit plan, history and every
/// random state (the torch CPU generator, the loaders' shuffle epoch and augmentation generators).
/// <para>
/// The model tensors are written by name with dtype and shape (not with TorchSharp's positional
/// <c>Module.save</c>) so that loading into a different architecture can say exactly which names
/// and shapes differ. Files are written atomically: a temporary file in the same directory is
/// flushed to disk and then moved over the target, so a crash never leaves a half-written checkpoint.
/// </para>
/// <para>
/// Format version 2: the 8 ASCII bytes <c>MDSLCKPT</c>, the version (int32), the content's length
/// (int64) and its SHA-256 (32 bytes), then the content. Every read is length-checked, so a
/// truncated, corrupted or foreign file throws one <see cref="CheckpointFormatException"/> naming
/// the file and what is wrong. Version 1 files (the same content after the version, no length or
/// checksum) still load.
/// </para>
/// </summary>
public sealed class Checkpoint
{
    private const string Magic = "MDSLCKPT";
    private const int Version = 2;
    private const int HeaderLength = 8 + 4 + 8 + 32;

    /// <summary>
    /// Milliseconds <see cref="Save"/> waits with its temporary file half written: lets a crash test
    /// kill the process inside a save for certain. Unset (the default) means no wait.
    /// </summary>
    internal const string WriteDelayVariable = "MODELDSL_CHECKPOINT_WRITE_DELAY_MS";

    private readonly List<StoredTensor> _tensors;
    private readonly byte[]? _optimizer;

    private Checkpoint(string source, int formatVersion, CheckpointState state, List<StoredTensor> tensors, byte[]? optimizer)
    {
        Source = source;
        FormatVersion = formatVersion;
        State = state;
        _tensors = tensors;
        _optimizer = optimizer;
    }

    /// <summary>Path the checkpoint was read from (for messages).</summary>
    public string Source { get; }

    /// <summary>The file's format version: 2 (checksummed) for files written now, 1 for older ones.</summary>
    public int FormatVersion { get; }

    /// <summary>Epoch, step, seed, RNG state, fit plan and history stored with the weights.</summary>
    public CheckpointState State { get; }

    public bool HasOptimizerState => _optimizer is { Length: > 0 };

    /// <summary>Names and shapes of the stored model tensors, in state_dict order.</summary>
    public IReadOnlyList<(string Name, long[] Shape)> Tensors => _tensors.Select(t => (t.Name, t.Shape)).ToList();

    /// <summary>
    /// Writes <paramref name="model"/>'s state_dict, <paramref name="optimizer"/>'s state (optional) and
    /// <paramref name="state"/> to <paramref name="path"/> atomically. When <see cref="CheckpointState.RngState"/>
    /// is null the current torch CPU RNG state is captured.
    /// </summary>
    public static void Save(string path, nn.Module model, OptimizerHelper? optimizer, CheckpointState state)
    {
        state = state with { RngState = state.RngState ?? CaptureRng(), ModelType = state.ModelType ?? model.GetType().FullName };
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        DeleteStaleTemporaries(dir, Path.GetFileName(full));
        var tmp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                // The header's length and checksum are filled in once the content is written.
                fs.Write(new byte[HeaderLength]);
                using (var w = new BinaryWriter(fs, Encoding.UTF8, leaveOpen: true))
                {
                    w.Write(state.ToJson());
                    var dict = model.state_dict();
                    w.Write(dict.Count);
                    foreach (var (name, tensor) in dict)
                    {
                        using var scope = NewDisposeScope();
                        var cpu = tensor.detach().cpu().contiguous();
                        w.Write(name);
                        w.Write((int)cpu.dtype);
                        w.Write(cpu.shape.Length);
                        foreach (var d in cpu.shape) w.Write(d);
                        var bytes = cpu.bytes;
                        w.Write((long)bytes.Length);
                        w.Write(bytes);
                    }
                    WaitIfAsked(fs);
                    if (optimizer is null) w.Write(0L);
                    else
                    {
                        using var ms = new MemoryStream();
                        using (var ow = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true)) optimizer.save_state_dict(ow);
                        w.Write(ms.Length);
                        w.Write(ms.GetBuffer(), 0, (int)ms.Length);
                    }
                }
                long contentLength = fs.Length - HeaderLength;
                fs.Position = HeaderLength;
                var hash = SHA256.HashData(fs);
                fs.Position = 0;
                using (var w = new BinaryWriter(fs, Encoding.UTF8, leaveOpen: true))
                {
                    w.Write(Encoding.ASCII.GetBytes(Magic));
                    w.Write(Version);
                    w.Write(contentLength);
                    w.Write(hash);
                }
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch { /* best effort: the original is untouched either way */ }
            throw;
        }
    }

    /// <summary>Temporary files of earlier saves to this path that a crash left behind: they never held a complete checkpoint.</summary>
    private static void DeleteStaleTemporaries(string dir, string name)
    {
        foreach (var stale in Directory.EnumerateFiles(dir, "." + name + ".*.tmp"))
            try { File.Delete(stale); } catch (IOException) { /* another process's save in progress, or gone already */ }
    }

    private static void WaitIfAsked(FileStream fs)
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable(WriteDelayVariable), out int ms) || ms <= 0) return;
        fs.Flush();
        Thread.Sleep(ms);
    }

    /// <summary>
    /// Reads a checkpoint into memory (nothing is applied yet). A file that is truncated, corrupted,
    /// of an unknown version or not a checkpoint throws <see cref="CheckpointFormatException"/>.
    /// </summary>
    public static Checkpoint Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path);
        var file = File.ReadAllBytes(path);
        if (file.Length < Magic.Length + 4)
            throw new CheckpointFormatException(path, $"it is {file.Length} bytes long, shorter than the {Magic.Length + 4}-byte header of a ModelDsl checkpoint.");
        var magic = file.AsSpan(0, Magic.Length);
        if (!magic.SequenceEqual(Encoding.ASCII.GetBytes(Magic)))
            throw new CheckpointFormatException(path, $"it is not a ModelDsl checkpoint: it starts with bytes {Convert.ToHexString(magic)}, expected {Convert.ToHexString(Encoding.ASCII.GetBytes(Magic))} (\"{Magic}\").");
        int version = BitConverter.ToInt32(file, Magic.Length);
        int content;
        if (version == 1) content = Magic.Length + 4;
        else if (version == 2)
        {
            if (file.Length < HeaderLength)
                throw new CheckpointFormatException(path, $"truncated inside its header: {file.Length} bytes, the version 2 header alone is {HeaderLength}.");
            long expected = BitConverter.ToInt64(file, Magic.Length + 4);
            long actual = file.Length - HeaderLength;
            if (actual < expected)
                throw new CheckpointFormatException(path, $"truncated: the header says {expected:N0} bytes of content, the file has {actual:N0} ({file.Length:N0} bytes in all, expected {expected + HeaderLength:N0}).");
            if (actual > expected)
                throw new CheckpointFormatException(path, $"{actual - expected:N0} unexpected bytes after the content: the header says {expected:N0} bytes of content, the file has {actual:N0}.");
            var stored = file.AsSpan(Magic.Length + 12, 32);
            var computed = SHA256.HashData(file.AsSpan(HeaderLength));
            if (!stored.SequenceEqual(computed))
                throw new CheckpointFormatException(path, $"corrupted: the content's SHA-256 is {Convert.ToHexString(computed)}, the header expects {Convert.ToHexString(stored)}.");
            content = HeaderLength;
        }
        else throw new CheckpointFormatException(path, $"format version {version} is unknown; this library reads versions 1 and 2.");
        return ReadContent(path, version, file, content);
    }

    /// <summary>The content after the header, the same in both versions; every length is checked against what is left.</summary>
    private static Checkpoint ReadContent(string path, int version, byte[] file, int offset)
    {
        using var ms = new MemoryStream(file, offset, file.Length - offset, writable: false);
        using var r = new BinaryReader(ms, Encoding.UTF8);
        string reading = "the JSON state";
        long Left() => ms.Length - ms.Position;
        byte[] Bytes(long n, string what)
        {
            if (n < 0 || n > Left())
                throw new CheckpointFormatException(path, $"truncated or corrupted: {what} is declared as {n:N0} bytes, only {Left():N0} are left (at byte {ms.Position:N0} of the content).");
            return r.ReadBytes((int)n);
        }
        try
        {
            CheckpointState state;
            try { state = CheckpointState.FromJson(r.ReadString()); }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new CheckpointFormatException(path, $"its JSON state is malformed ({e.Message}).", e);
            }
            reading = "the tensor count";
            int count = r.ReadInt32();
            if (count < 0) throw new CheckpointFormatException(path, $"corrupted: it declares {count} tensors.");
            var tensors = new List<StoredTensor>(Math.Min(count, 4096));
            for (int i = 0; i < count; i++)
            {
                reading = $"tensor {i + 1} of {count}";
                var name = r.ReadString();
                reading = $"tensor '{name}' ({i + 1} of {count})";
                var dtype = (ScalarType)r.ReadInt32();
                int rank = r.ReadInt32();
                if (rank is < 0 or > 64) throw new CheckpointFormatException(path, $"corrupted: {reading} has rank {rank}.");
                var shape = new long[rank];
                for (int d = 0; d < shape.Length; d++) shape[d] = r.ReadInt64();
                var bytes = Bytes(r.ReadInt64(), reading);
                if (ElementSize(dtype) is { } size && shape.All(d => d >= 0) && shape.Aggregate(1L, (a, d) => a * d) * size != bytes.Length)
                    throw new CheckpointFormatException(path, $"corrupted: {reading} is {dtype} [{string.Join(", ", shape)}] but holds {bytes.Length:N0} bytes.");
                tensors.Add(new StoredTensor(name, dtype, shape, bytes));
            }
            reading = "the optimizer state";
            long optLen = r.ReadInt64();
            var opt = optLen > 0 ? Bytes(optLen, reading) : null;
            if (Left() != 0) throw new CheckpointFormatException(path, $"{Left():N0} unexpected bytes after the optimizer state.");
            return new Checkpoint(path, version, state, tensors, opt);
        }
        catch (EndOfStreamException e)
        {
            throw new CheckpointFormatException(path, $"truncated: the file ends inside {reading} (content is {ms.Length:N0} bytes).", e);
        }
    }

    private static int? ElementSize(ScalarType t) => t switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 or ScalarType.ComplexFloat32 => 8,
        ScalarType.ComplexFloat64 => 16,
        _ => null,
    };

    /// <summary>
    /// Copies the stored tensors into <paramref name="model"/> (on whatever device it lives). All
    /// names and shapes are checked first, so a mismatch changes nothing and throws a
    /// <see cref="CheckpointMismatchException"/> listing every difference.
    /// </summary>
    public void LoadInto(nn.Module model)
    {
        var target = model.state_dict();
        var stored = _tensors.ToDictionary(t => t.Name);
        var problems = new List<string>();
        foreach (var (name, t) in target)
        {
            if (!stored.TryGetValue(name, out var s)) problems.Add($"missing in checkpoint: {name} {Shape(t.shape)}");
            else if (!s.Shape.SequenceEqual(t.shape)) problems.Add($"shape mismatch: {name} checkpoint {Shape(s.Shape)} vs model {Shape(t.shape)}");
        }
        foreach (var s in _tensors)
            if (!target.ContainsKey(s.Name)) problems.Add($"unexpected in checkpoint (not in model): {s.Name} {Shape(s.Shape)}");
        if (problems.Count > 0)
        {
            var from = State.ModelType is null ? "" : $" (saved from {State.ModelType})";
            throw new CheckpointMismatchException(
                $"Checkpoint '{Source}'{from} does not fit model {model.GetType().FullName}: {problems.Count} difference(s):{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", problems), problems);
        }
        using var noGrad = no_grad();
        foreach (var (name, t) in target)
        {
            using var scope = NewDisposeScope();
            var s = stored[name];
            var src = empty(s.Shape, s.DType);
            if (s.Bytes.Length > 0) src.bytes = s.Bytes;
            t.copy_(src);
        }
    }

    /// <summary>Restores the optimizer's state (moments, step counts, hyper-parameters) saved with the checkpoint.</summary>
    public void LoadInto(OptimizerHelper optimizer)
    {
        if (_optimizer is null) throw new InvalidOperationException($"Checkpoint '{Source}' has no optimizer state.");
        using var ms = new MemoryStream(_optimizer);
        using var r = new BinaryReader(ms, Encoding.UTF8);
        try { optimizer.load_state_dict(r); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                $"The optimizer state in '{Source}' does not fit this optimizer ({optimizer.GetType().Name}, {optimizer.ParamGroups.Count()} parameter group(s)). " +
                "Build the Learner with the same optimizer and model as when the checkpoint was saved.", e);
        }
    }

    /// <summary>Puts the torch CPU generator back where it was at save time, so shuffles and dropout masks continue identically.</summary>
    public void RestoreRng()
    {
        if (State.RngState is { Length: > 0 } bytes) RestoreRng(bytes);
    }

    internal static void RestoreRng(byte[] bytes)
    {
        using var t = empty(bytes.Length, ScalarType.Byte);
        t.bytes = bytes;
        set_rng_state(t);
    }

    internal static byte[] CaptureRng()
    {
        using var t = get_rng_state();
        return t.bytes.ToArray();
    }

    private static string Shape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";

    private sealed record StoredTensor(string Name, ScalarType DType, long[] Shape, byte[] Bytes);
}

/// <summary>Everything but the tensors: where training was and how to continue it.</summary>
/// <param name="Epoch">Epochs completed over the learner's whole history (the next epoch's number, or the one in progress).</param>
/// <param name="Step">Optimizer steps taken in the fit in progress (the schedule's clock; on CUDA it also re-seeds the generator).</param>
/// <param name="Seed">The learner's seed (for data shuffles and CUDA re-seeding), if any.</param>
/// <param name="RngState">torch CPU generator state; captured at save time when null.</param>
/// <param name="Fit">The fit in progress (epochs, lr, schedule), so Resume can finish it.</param>
/// <param name="HistoryJson">The learner's history so far (<see cref="History.ToJson"/>).</param>
/// <param name="FrozenStages">Stages frozen at save time.</param>
/// <param name="StageLearningRates">Per-stage learning rates at save time.</param>
/// <param name="ModelType">CLR type of the model, for mismatch messages.</param>
/// <param name="Position">Where in epoch <paramref name="Epoch"/> a checkpoint taken mid-epoch was; null at an epoch boundary.</param>
/// <param name="TrainLoaderState">The training loader's random state (shuffle epoch, augmentation generators) when it has one.</param>
/// <param name="ValidLoaderState">The validation loader's, likewise.</param>
/// <param name="LossScale">A float16 run's loss scaler: scale, clean steps since the last change, skipped steps; null otherwise.</param>
/// <param name="Notes">The application's key/value notes (<see cref="Learner.CheckpointNotes"/>), e.g. the settings a run started with; null when none.</param>
public sealed record CheckpointState(
    int Epoch,
    long Step = 0,
    long? Seed = null,
    byte[]? RngState = null,
    FitPlan? Fit = null,
    string? HistoryJson = null,
    IReadOnlyList<string>? FrozenStages = null,
    IReadOnlyDictionary<string, double>? StageLearningRates = null,
    string? ModelType = null,
    EpochPosition? Position = null,
    byte[]? TrainLoaderState = null,
    byte[]? ValidLoaderState = null,
    LossScaleState? LossScale = null,
    IReadOnlyDictionary<string, string>? Notes = null)
{
    internal string ToJson()
    {
        var o = new Dictionary<string, object?>
        {
            ["epoch"] = Epoch,
            ["step"] = Step,
            ["seed"] = Seed,
            ["rng_state"] = RngState is null ? null : Convert.ToBase64String(RngState),
            ["fit"] = Fit is null ? null : new Dictionary<string, object?>
            {
                ["first_epoch"] = Fit.FirstEpoch, ["epochs"] = Fit.Epochs, ["lr"] = Fit.LearningRate,
                ["schedule"] = Fit.Schedule.Serialize(), ["steps_per_epoch"] = Fit.StepsPerEpoch,
            },
            ["history"] = HistoryJson,
            ["frozen"] = FrozenStages,
            ["stage_lrs"] = StageLearningRates,
            ["model_type"] = ModelType,
            ["position"] = Position is null ? null : new Dictionary<string, object?>
            {
                ["batch"] = Position.Batch,
                // As raw bits: the resumed epoch's mean train loss must be the uninterrupted run's to the last bit.
                ["loss_sum_bits"] = BitConverter.DoubleToInt64Bits(Position.LossSum),
                ["samples"] = Position.Samples,
                ["epoch_start_rng"] = Convert.ToBase64String(Position.EpochStartRng),
            },
            ["train_loader_state"] = TrainLoaderState is null ? null : Convert.ToBase64String(TrainLoaderState),
            ["valid_loader_state"] = ValidLoaderState is null ? null : Convert.ToBase64String(ValidLoaderState),
            ["loss_scale"] = LossScale is null ? null : new Dictionary<string, object?>
            {
                ["scale"] = LossScale.Scale,
                ["growth_tracker"] = LossScale.GrowthTracker,
                ["skipped_steps"] = LossScale.SkippedSteps,
            },
            ["notes"] = Notes is { Count: > 0 } ? Notes : null,
        };
        return JsonSerializer.Serialize(o);
    }

    internal static CheckpointState FromJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        string? Str(JsonElement e, string n) => e.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        FitPlan? fit = null;
        if (r.TryGetProperty("fit", out var f) && f.ValueKind == JsonValueKind.Object)
            fit = new FitPlan(f.GetProperty("first_epoch").GetInt32(), f.GetProperty("epochs").GetInt32(), f.GetProperty("lr").GetDouble(),
                LrSchedule.Deserialize(f.GetProperty("schedule").GetString()!), f.GetProperty("steps_per_epoch").GetInt64());
        var rng = Str(r, "rng_state");
        EpochPosition? position = null;
        if (r.TryGetProperty("position", out var p) && p.ValueKind == JsonValueKind.Object)
            position = new EpochPosition(p.GetProperty("batch").GetInt32(), BitConverter.Int64BitsToDouble(p.GetProperty("loss_sum_bits").GetInt64()),
                p.GetProperty("samples").GetInt64(), Convert.FromBase64String(p.GetProperty("epoch_start_rng").GetString()!));
        byte[]? Base64(string n) => Str(r, n) is { } v ? Convert.FromBase64String(v) : null;
        LossScaleState? lossScale = null;
        if (r.TryGetProperty("loss_scale", out var ls) && ls.ValueKind == JsonValueKind.Object)
            lossScale = new LossScaleState(ls.GetProperty("scale").GetDouble(), ls.GetProperty("growth_tracker").GetInt32(), ls.GetProperty("skipped_steps").GetInt64());
        return new CheckpointState(
            r.GetProperty("epoch").GetInt32(),
            r.GetProperty("step").GetInt64(),
            r.TryGetProperty("seed", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : null,
            rng is null ? null : Convert.FromBase64String(rng),
            fit,
            Str(r, "history"),
            r.TryGetProperty("frozen", out var fr) && fr.ValueKind == JsonValueKind.Array ? fr.EnumerateArray().Select(x => x.GetString()!).ToList() : null,
            r.TryGetProperty("stage_lrs", out var sl) && sl.ValueKind == JsonValueKind.Object ? sl.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()) : null,
            Str(r, "model_type"),
            position,
            Base64("train_loader_state"),
            Base64("valid_loader_state"),
            lossScale,
            r.TryGetProperty("notes", out var nt) && nt.ValueKind == JsonValueKind.Object
                ? nt.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal) : null);
    }
}

/// <summary>A <see cref="DynamicLossScaler"/>'s state in a checkpoint.</summary>
public sealed record LossScaleState(double Scale, int GrowthTracker, long SkippedSteps);

/// <summary>A position inside an epoch: what a step-level checkpoint needs to finish the epoch exactly.</summary>
/// <param name="Batch">Batches of the epoch already trained (the next batch's index).</param>
/// <param name="LossSum">Sum of batch loss × batch size over those batches (for the epoch's mean train loss).</param>
/// <param name="Samples">Samples in those batches.</param>
/// <param name="EpochStartRng">The torch CPU generator at the start of the epoch, for loaders that must replay the epoch's start to skip to <paramref name="Batch"/>.</param>
public sealed record EpochPosition(int Batch, double LossSum, long Samples, byte[] EpochStartRng);

/// <summary>A fit in progress: epochs <c>FirstEpoch … FirstEpoch+Epochs-1</c> at base rate <c>LearningRate</c> under <c>Schedule</c>.</summary>
public sealed record FitPlan(int FirstEpoch, int Epochs, double LearningRate, LrSchedule Schedule, long StepsPerEpoch)
{
    public long TotalSteps => Epochs * StepsPerEpoch;
}
