using System.Text;
using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// A training checkpoint: every tensor of the model's state_dict (parameters and buffers such as
/// BatchNorm running statistics), the optimizer's state (momentum / Adam moments and step counts),
/// the CPU RNG state and a JSON block with the epoch, step, seed, fit plan and history.
/// <para>
/// The model tensors are written by name with dtype and shape (not with TorchSharp's positional
/// <c>Module.save</c>) so that loading into a different architecture can say exactly which names
/// and shapes differ. Files are written atomically: a temporary file in the same directory is
/// flushed to disk and then moved over the target, so a crash never leaves a half-written checkpoint.
/// </para>
/// </summary>
public sealed class Checkpoint
{
    private const string Magic = "MDSLCKPT";
    private const int Version = 1;

    private readonly List<StoredTensor> _tensors;
    private readonly byte[]? _optimizer;

    private Checkpoint(string source, CheckpointState state, List<StoredTensor> tensors, byte[]? optimizer)
    {
        Source = source;
        State = state;
        _tensors = tensors;
        _optimizer = optimizer;
    }

    /// <summary>Path the checkpoint was read from (for messages).</summary>
    public string Source { get; }

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
        var tmp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                using (var w = new BinaryWriter(fs, Encoding.UTF8, leaveOpen: true))
                {
                    w.Write(Encoding.ASCII.GetBytes(Magic));
                    w.Write(Version);
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
                    if (optimizer is null) w.Write(0L);
                    else
                    {
                        using var ms = new MemoryStream();
                        using (var ow = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true)) optimizer.save_state_dict(ow);
                        w.Write(ms.Length);
                        w.Write(ms.GetBuffer(), 0, (int)ms.Length);
                    }
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

    /// <summary>Reads a checkpoint into memory (nothing is applied yet).</summary>
    public static Checkpoint Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path);
        using var fs = File.OpenRead(path);
        using var r = new BinaryReader(fs, Encoding.UTF8);
        var magic = Encoding.ASCII.GetString(r.ReadBytes(Magic.Length));
        if (magic != Magic) throw new InvalidDataException($"'{path}' is not a ModelDsl checkpoint (no {Magic} header).");
        int version = r.ReadInt32();
        if (version != Version) throw new InvalidDataException($"Checkpoint '{path}' has format version {version}; this library reads version {Version}.");
        var state = CheckpointState.FromJson(r.ReadString());
        int count = r.ReadInt32();
        var tensors = new List<StoredTensor>(count);
        for (int i = 0; i < count; i++)
        {
            var name = r.ReadString();
            var dtype = (ScalarType)r.ReadInt32();
            var shape = new long[r.ReadInt32()];
            for (int d = 0; d < shape.Length; d++) shape[d] = r.ReadInt64();
            var bytes = r.ReadBytes(checked((int)r.ReadInt64()));
            tensors.Add(new StoredTensor(name, dtype, shape, bytes));
        }
        long optLen = r.ReadInt64();
        var opt = optLen > 0 ? r.ReadBytes(checked((int)optLen)) : null;
        return new Checkpoint(path, state, tensors, opt);
    }

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
        if (State.RngState is not { Length: > 0 } bytes) return;
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
/// <param name="Epoch">Epochs completed over the learner's whole history (the next epoch's number).</param>
/// <param name="Step">Optimizer steps taken in the fit in progress (the schedule's clock).</param>
/// <param name="Seed">The learner's seed (for data shuffles and CUDA re-seeding), if any.</param>
/// <param name="RngState">torch CPU generator state; captured at save time when null.</param>
/// <param name="Fit">The fit in progress (epochs, lr, schedule), so Resume can finish it.</param>
/// <param name="HistoryJson">The learner's history so far (<see cref="History.ToJson"/>).</param>
/// <param name="FrozenStages">Stages frozen at save time.</param>
/// <param name="StageLearningRates">Per-stage learning rates at save time.</param>
/// <param name="ModelType">CLR type of the model, for mismatch messages.</param>
public sealed record CheckpointState(
    int Epoch,
    long Step = 0,
    long? Seed = null,
    byte[]? RngState = null,
    FitPlan? Fit = null,
    string? HistoryJson = null,
    IReadOnlyList<string>? FrozenStages = null,
    IReadOnlyDictionary<string, double>? StageLearningRates = null,
    string? ModelType = null)
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
        return new CheckpointState(
            r.GetProperty("epoch").GetInt32(),
            r.GetProperty("step").GetInt64(),
            r.TryGetProperty("seed", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : null,
            rng is null ? null : Convert.FromBase64String(rng),
            fit,
            Str(r, "history"),
            r.TryGetProperty("frozen", out var fr) && fr.ValueKind == JsonValueKind.Array ? fr.EnumerateArray().Select(x => x.GetString()!).ToList() : null,
            r.TryGetProperty("stage_lrs", out var sl) && sl.ValueKind == JsonValueKind.Object ? sl.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()) : null,
            Str(r, "model_type"));
    }
}

/// <summary>A fit in progress: epochs <c>FirstEpoch … FirstEpoch+Epochs-1</c> at base rate <c>LearningRate</c> under <c>Schedule</c>.</summary>
public sealed record FitPlan(int FirstEpoch, int Epochs, double LearningRate, LrSchedule Schedule, long StepsPerEpoch)
{
    public long TotalSteps => Epochs * StepsPerEpoch;
}
