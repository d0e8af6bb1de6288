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
/// </summary>
public abstract class FusedOptimizer : OptimizerHelper
{
    private readonly List<FusedParamGroup> _groups;
    private readonly long[] _steps;
    private readonly List<Segment> _runs = new();
    private int _runsVersion = -1;
    private bool _disposed;

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
        State = new Tensor[Flat.BufferCount, stateBuffers];
        for (int b = 0; b < Flat.BufferCount; b++)
            for (int s = 0; s < stateBuffers; s++)
                State[b, s] = zeros_like(Flat.Buffer(b).Data).DetachFromDisposeScope();
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
            foreach (var r in _runs)
            {
                long t = _steps[r.First] + 1;
                var o = _groups[r.Group].Options;
                foreach (var chunk in r.Chunks) Update(chunk, o, t);
                for (int i = r.First; i <= r.Last; i++) _steps[i] = t;
            }
        }
        return loss!;
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
                chunks.Add(new Run(buf.Data.narrow(0, c, len).DetachFromDisposeScope(), buf.Grad.narrow(0, c, len).DetachFromDisposeScope(), state));
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
