using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// Base of the flat-buffer ("fused") optimizers <see cref="FusedSGD"/>, <see cref="FusedAdam"/> and
/// <see cref="FusedAdamW"/>: the parameters are laid out in one contiguous buffer per dtype/device
/// (<see cref="FlatParameters"/>), and a step updates each parameter group's contiguous segment of it
/// with a handful of tensor ops instead of several ops per parameter tensor. The maths is TorchSharp's
/// <c>optim.SGD</c>/<c>Adam</c>/<c>AdamW</c>, with the same semantics: a parameter without a gradient
/// (never reached by a backward, or <c>requires_grad</c> false from the start) is skipped, step counts
/// are per parameter, hyper-parameters are per group. <c>zero_grad</c> is one fill per buffer.
/// <para>
/// It is a TorchSharp <see cref="OptimizerHelper"/>, so <c>ParamGroups</c> (learning rates),
/// <c>save_state_dict</c>/<c>load_state_dict</c> and the ModelDsl checkpoints work as with the
/// TorchSharp optimizers; the saved state is specific to the fused optimizer and its parameter layout.
/// Building one re-points the parameters at the flat buffer, so build it after moving the model to its device.
/// </para>
/// <para>
/// Mixed precision: a flat buffer of bfloat16 or float16 parameters gets float32 <em>master weights</em> of the
/// same layout. A step copies the low-precision gradients into a float32 buffer (dividing by
/// <see cref="GradientScale"/> when a loss scaler multiplied the loss), updates the masters and the float32
/// optimizer state there, and writes the masters back into the low-precision parameters: two extra kernels
/// per buffer, and updates too small for bfloat16 accumulate in the masters instead of being lost. With
/// <see cref="SkipNonFiniteSteps"/>, a step whose gradients hold an infinity or NaN changes nothing
/// (<see cref="LastStepSkipped"/>), as GradScaler's <c>step</c> does.
/// </para>
/// </summary>
public abstract class FusedOptimizer : OptimizerHelper
{
    private readonly List<FusedParamGroup> _groups;
    private readonly long[] _steps;
    private readonly List<Segment> _runs = new();
    private int _runsVersion = -1;
    private bool _disposed;
    // Per flat buffer: float32 master weights and gradients for a low-precision buffer, null for a float32 one.
    private readonly Tensor?[] _master;
    private readonly Tensor?[] _masterGrad;

    private protected FusedOptimizer(IEnumerable<FusedParamGroup> groups, int stateBuffers)
    {
        _groups = groups.ToList();
        if (_groups.Count == 0) throw new ArgumentException("Give at least one parameter group.", nameof(groups));
        foreach (var g in _groups)
        {
            // What every fused optimizer requires (TorchSharp's messages); the rest is the subclass's.
            if (g.Options.LearningRate < 0) throw new ArgumentException($"Invalid learning rate: {g.Options.LearningRate}");
            if (g.Options.WeightDecay < 0) throw new ArgumentException($"Invalid weight_decay value: {g.Options.WeightDecay}");
            Validate(g.Options);
        }
        _parameter_groups = _groups.Cast<ParamGroup>().ToList();
        _defaults = _groups[0].Options;
        Flat = new FlatParameters(_groups.Select(g => (IReadOnlyList<Parameter>)g.Parameters.ToList()).ToList());
        _steps = new long[Flat.Slots.Count];
        _master = new Tensor?[Flat.BufferCount];
        _masterGrad = new Tensor?[Flat.BufferCount];
        State = new Tensor[Flat.BufferCount, stateBuffers];
        for (int b = 0; b < Flat.BufferCount; b++)
        {
            var data = Flat.Buffer(b).Data;
            if (data.dtype is ScalarType.BFloat16 or ScalarType.Float16)
            {
                _master[b] = data.to(ScalarType.Float32).DetachFromDisposeScope();
                _masterGrad[b] = zeros_like(_master[b]!).DetachFromDisposeScope();
            }
            for (int s = 0; s < stateBuffers; s++)
                State[b, s] = zeros_like(_master[b] ?? data).DetachFromDisposeScope();
        }
    }

    /// <summary>Whether some parameters are low precision (bfloat16/float16) and so have float32 master weights.</summary>
    public bool HasMasterWeights => _master.Any(m => m is not null);

    /// <summary>The float32 master weights of flat buffer <paramref name="buffer"/>, or null for a float32 buffer (tests, diagnostics).</summary>
    internal Tensor? MasterOf(int buffer) => _master[buffer];

    /// <summary>
    /// The factor the loss was multiplied by before backward (a <see cref="DynamicLossScaler"/>'s scale); the
    /// step divides the gradients by it before using them. 1 (the default) leaves them as they are.
    /// </summary>
    public double GradientScale { get; set; } = 1;

    /// <summary>Skip a step (change nothing) when any gradient is infinite or NaN, as a loss-scaled float16 run needs.</summary>
    public bool SkipNonFiniteSteps { get; set; }

    /// <summary>
    /// Clip the gradients' total L2 norm to this value after unscaling them, in float32, as
    /// <c>clip_grad_norm_</c> does (factor max / (norm + 10⁻⁶) when the norm is larger). Mixed precision clips here:
    /// the norm of loss-scaled float16 gradients could overflow float16 even when every gradient is finite.
    /// </summary>
    public double? MaxGradientNorm { get; set; }

    /// <summary>Whether the last <see cref="step"/> was skipped for non-finite gradients.</summary>
    public bool LastStepSkipped { get; private set; }

    /// <summary>
    /// Copies the (low-precision) parameters into the float32 master weights: call after loading weights into
    /// the model by any other way than this optimizer's own state, or the next step would write the old masters back.
    /// </summary>
    public void SyncMastersFromParameters()
    {
        using var noGrad = no_grad();
        for (int b = 0; b < _master.Length; b++) _master[b]?.copy_(Flat.Buffer(b).Data);
    }

    /// <summary>The flat parameter and gradient buffers.</summary>
    public FlatParameters Flat { get; }

    public IReadOnlyList<FusedParamGroup> Groups => _groups;

    /// <summary>Per flat buffer, the optimizer's state buffers (SGD: momentum; Adam: exp_avg, exp_avg_sq), same layout.</summary>
    internal Tensor[,] State { get; }

    /// <summary>Steps taken by the parameter at layout position <paramref name="slot"/> (tests, diagnostics).</summary>
    internal long StepsOf(int slot) => _steps[slot];

    /// <summary>Checks the optimizer's own hyper-parameters (learning rate and weight decay are checked already).</summary>
    private protected abstract void Validate(FusedOptions o);

    /// <summary>
    /// Elements per update chunk on the CPU; 0 (the default) updates each segment whole. Chunking runs
    /// the handful of element-wise ops of one chunk while its data is still in cache, but on the 2-core
    /// development machine it measured no faster (64K elements: about 2× slower for CifarCnn's Adam; 256K:
    /// even), so it is off; the knob stays for other CPUs. Never used on CUDA. Takes effect at the next rebuild.
    /// </summary>
    public static long CpuChunkElements { get; set; }

    /// <summary>Updates one chunk of a contiguous run of parameters (same buffer, group and step count) at step <paramref name="t"/> (1-based).</summary>
    private protected abstract void Update(Run run, FusedOptions o, long t);

    public override Tensor step(Func<Tensor>? closure = null)
    {
        Tensor? loss = null;
        if (closure is not null)
            using (enable_grad()) loss = closure();
        Flat.BindGradients();
        if (_runsVersion != Flat.BindingVersion) RebuildRuns();
        using (no_grad())
        using (NewDisposeScope())
        {
            LastStepSkipped = !PrepareGradients();
            if (LastStepSkipped) return loss!;
            foreach (var r in _runs)
            {
                long t = _steps[r.First] + 1;
                var o = _groups[r.Group].Options;
                foreach (var chunk in r.Chunks) Update(chunk, o, t);
                for (int i = r.First; i <= r.Last; i++) _steps[i] = t;
            }
            for (int b = 0; b < _master.Length; b++)
                if (_master[b] is { } master) Flat.Buffer(b).Data.copy_(master);
        }
        return loss!;
    }

    /// <summary>
    /// Gradients into the buffers the update reads: copied to float32 for low-precision buffers, divided by
    /// <see cref="GradientScale"/>; false when <see cref="SkipNonFiniteSteps"/> finds an infinity or NaN (one host sync).
    /// </summary>
    private bool PrepareGradients()
    {
        double inverse = 1 / GradientScale;
        Tensor? nonFinite = null;
        var grads = new List<Tensor>(_master.Length);
        for (int b = 0; b < _master.Length; b++)
        {
            var grad = Flat.Buffer(b).Grad;
            if (_masterGrad[b] is { } g) grad = g.copy_(grad);
            if (inverse != 1) grad.mul_(inverse);
            grads.Add(grad);
            if (!SkipNonFiniteSteps) continue;
            var bad = grad.isfinite().logical_not().any();
            nonFinite = nonFinite is null ? bad : nonFinite.logical_or(bad);
        }
        if (nonFinite is not null && nonFinite.item<bool>()) return false;
        if (MaxGradientNorm is { } max)
        {
            var total = stack(grads.Select(g => g.to(ScalarType.Float32).square().sum()).ToList()).sum().sqrt();
            var factor = (max / (total + 1e-6)).clamp_max(1.0);
            foreach (var g in grads) g.mul_(factor.to(g.dtype));
        }
        return true;
    }

    /// <summary>Zeroes all gradients with one fill per flat gradient buffer.</summary>
    public override void zero_grad() => Flat.ZeroGrad();

    /// <summary>The parameter groups' options and one state record holding step counts and the flat state buffers.</summary>
    public override StateDictionary state_dict()
    {
        var sd = base_state_dict_shell();
        foreach (var g in _groups) sd.Options.Add(g.Options);
        sd.State.Add(new FusedState(this));
        return sd;
    }

    // StateDictionary's constructor is internal to TorchSharp; take an empty one from the base class.
    private StateDictionary base_state_dict_shell()
    {
        var saved = _parameter_groups;
        _parameter_groups = new List<ParamGroup>();
        try { return base.state_dict(); }
        finally { _parameter_groups = saved; }
    }

    public override void load_state_dict(StateDictionary state_dict)
    {
        base.load_state_dict(state_dict);
        _runsVersion = -1;
    }

    private void RebuildRuns()
    {
        foreach (var r in _runs) r.Dispose();
        _runs.Clear();
        var slots = Flat.Slots;
        int i = 0;
        while (i < slots.Count)
        {
            if (!slots[i].Bound) { i++; continue; }
            int j = i;
            while (j + 1 < slots.Count && slots[j + 1].Bound && slots[j + 1].Buffer == slots[i].Buffer
                   && slots[j + 1].Group == slots[i].Group && _steps[j + 1] == _steps[i]) j++;
            var b = slots[i].Buffer;
            long off = slots[i].Offset, n = slots[j].Offset + slots[j].Numel - off;
            var buf = Flat.Buffer(b);
            long chunk = buf.Data.device_type == DeviceType.CPU && CpuChunkElements > 0 ? CpuChunkElements : n;
            var chunks = new List<Run>();
            for (long c = off; c < off + n; c += chunk)
            {
                long len = Math.Min(chunk, off + n - c);
                var state = new Tensor[State.GetLength(1)];
                for (int s = 0; s < state.Length; s++) state[s] = State[b, s].narrow(0, c, len).DetachFromDisposeScope();
                // Low-precision buffers are updated through their float32 masters.
                var p = _master[b] ?? buf.Data;
                var g = _masterGrad[b] ?? buf.Grad;
                chunks.Add(new Run(p.narrow(0, c, len).DetachFromDisposeScope(), g.narrow(0, c, len).DetachFromDisposeScope(), state));
            }
            _runs.Add(new Segment(i, j, slots[i].Group, chunks));
            i = j + 1;
        }
        _runsVersion = Flat.BindingVersion;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            foreach (var r in _runs) r.Dispose();
            foreach (var t in State) t.Dispose();
            foreach (var t in _master.Concat(_masterGrad)) t?.Dispose();
            Flat.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>Consecutive parameters (layout slots First..Last) updated together, as chunks.</summary>
    private sealed class Segment(int first, int last, int group, List<Run> chunks) : IDisposable
    {
        public int First { get; } = first;
        public int Last { get; } = last;
        public int Group { get; } = group;
        public List<Run> Chunks { get; } = chunks;

        public void Dispose()
        {
            foreach (var c in Chunks) c.Dispose();
        }
    }

    /// <summary>One chunk of a segment: views of the parameter, gradient and state buffers.</summary>
    private protected sealed class Run(Tensor p, Tensor g, Tensor[] state) : IDisposable
    {
        public Tensor P { get; } = p;
        public Tensor G { get; } = g;
        public Tensor[] S { get; } = state;

        public void Dispose()
        {
            P.Dispose();
            G.Dispose();
            foreach (var s in S) s.Dispose();
        }
    }

    /// <summary>Step counts and state buffers, in layout order; only loads into the same layout.</summary>
    private sealed class FusedState(FusedOptimizer owner) : OptimizerState(owner.Flat.Slots[0].Parameter)
    {
        public override void Initialize(OptimizerOptions options) { }

        public override void SaveStateDict(BinaryWriter writer)
        {
            writer.Write(owner._steps.Length);
            foreach (var s in owner._steps) writer.Write(s);
            writer.Write(owner.State.GetLength(0));
            writer.Write(owner.State.GetLength(1));
            foreach (var t in owner.State)
            {
                writer.Write(t.numel());
                t.Save(writer);
            }
            // Master weights last, so that the state of an all-float32 optimizer reads as before.
            var masters = owner._master.Where(m => m is not null).ToList();
            writer.Write(masters.Count);
            foreach (var m in masters)
            {
                writer.Write(m!.numel());
                m.Save(writer);
            }
        }

        public override void LoadStateDict(BinaryReader reader)
        {
            int n = reader.ReadInt32();
            if (n != owner._steps.Length) throw new InvalidDataException($"Fused optimizer state for {n} parameters; this optimizer has {owner._steps.Length}.");
            var steps = new long[n];
            for (int i = 0; i < n; i++) steps[i] = reader.ReadInt64();
            int buffers = reader.ReadInt32(), perBuffer = reader.ReadInt32();
            if (buffers != owner.State.GetLength(0) || perBuffer != owner.State.GetLength(1))
                throw new InvalidDataException($"Fused optimizer state has {buffers}×{perBuffer} buffers; this optimizer has {owner.State.GetLength(0)}×{owner.State.GetLength(1)}.");
            using var noGrad = no_grad();
            foreach (var t in owner.State)
            {
                long numel = reader.ReadInt64();
                if (numel != t.numel()) throw new InvalidDataException($"Fused optimizer state buffer of {numel} elements; this optimizer's has {t.numel()}.");
                t.Load(reader);
            }
            // A state saved before master weights existed (or by a float32 run) has none: the masters then
            // start from the parameters just loaded into the model.
            int masters = reader.BaseStream.Position < reader.BaseStream.Length ? reader.ReadInt32() : 0;
            var own = owner._master.Where(m => m is not null).ToList();
            if (masters == 0) owner.SyncMastersFromParameters();
            else
            {
                if (masters != own.Count) throw new InvalidDataException($"Fused optimizer state has {masters} master-weight buffers; this optimizer has {own.Count} (a different precision?).");
                foreach (var m in own)
                {
                    long numel = reader.ReadInt64();
                    if (numel != m!.numel()) throw new InvalidDataException($"Fused optimizer master weights of {numel} elements; this optimizer's have {m.numel()}.");
                    m.Load(reader);
                }
            }
            Array.Copy(steps, owner._steps, n);
            owner._runsVersion = -1;
        }

        public override void LoadStateDict(OptimizerState source)
        {
            if (source is not FusedState other || ReferenceEquals(other.Owner, owner)) return;
            if (other.Owner._steps.Length != owner._steps.Length) throw new ArgumentException("Fused optimizer state of a different layout.");
            using var noGrad = no_grad();
            for (int b = 0; b < owner.State.GetLength(0); b++)
                for (int s = 0; s < owner.State.GetLength(1); s++)
                    owner.State[b, s].copy_(other.Owner.State[b, s]);
            for (int b = 0; b < owner._master.Length; b++)
                if (owner._master[b] is { } m) m.copy_(other.Owner._master[b] ?? other.Owner.Flat.Buffer(b).Data);
            Array.Copy(other.Owner._steps, owner._steps, owner._steps.Length);
            owner._runsVersion = -1;
        }

        private FusedOptimizer Owner => owner;
    }
}

/// <summary>Hyper-parameters of one fused parameter group (the fields an optimizer does not use are ignored).</summary>
public sealed class FusedOptions : OptimizerOptions
{
    public double Momentum { get; set; }
    public bool Nesterov { get; set; }
    public double Beta1 { get; set; } = 0.9;
    public double Beta2 { get; set; } = 0.999;
    public double Eps { get; set; } = 1e-8;
    public double WeightDecay { get; set; }

    public override void SaveStateDict(BinaryWriter writer)
    {
        base.SaveStateDict(writer);
        writer.Write(Momentum);
        writer.Write(Nesterov);
        writer.Write(Beta1);
        writer.Write(Beta2);
        writer.Write(Eps);
        writer.Write(WeightDecay);
    }

    public override void LoadStateDict(BinaryReader reader)
    {
        base.LoadStateDict(reader);
        Momentum = reader.ReadDouble();
        Nesterov = reader.ReadBoolean();
        Beta1 = reader.ReadDouble();
        Beta2 = reader.ReadDouble();
        Eps = reader.ReadDouble();
        WeightDecay = reader.ReadDouble();
    }

    public override void LoadStateDict(OptimizerOptions source)
    {
        base.LoadStateDict(source);
        if (source is not FusedOptions o) return;
        (Momentum, Nesterov, Beta1, Beta2, Eps, WeightDecay) = (o.Momentum, o.Nesterov, o.Beta1, o.Beta2, o.Eps, o.WeightDecay);
    }
}

/// <summary>A parameter group of a fused optimizer; its learning rate, momentum and betas can change between steps.</summary>
public sealed class FusedParamGroup : ParamGroup<FusedOptions>, optim.IMomentum, optim.IBetas
{
    public FusedParamGroup(IEnumerable<Parameter> parameters, FusedOptions options) : base(parameters.ToList(), options)
    {
        options.LearningRate ??= 1e-3;
        options.InitialLearningRate = options.LearningRate.Value;
    }

    /// <summary>SGD momentum.</summary>
    public double Momentum { get => Options.Momentum; set => Options.Momentum = value; }

    /// <summary>Adam/AdamW (β1, β2).</summary>
    public (double, double) Betas { get => (Options.Beta1, Options.Beta2); set => (Options.Beta1, Options.Beta2) = value; }
}
