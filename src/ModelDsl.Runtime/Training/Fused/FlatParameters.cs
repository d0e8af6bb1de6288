using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// Lays a set of parameters out in one contiguous buffer per (dtype, device) and re-points every
/// parameter at a view of it (<c>param.set_(view)</c>: the parameter keeps its identity, its
/// <c>requires_grad</c> and its place in the module, only its storage moves). Gradients live in a
/// second flat buffer of the same layout: the first time a parameter has a gradient (after its first
/// backward) it is copied into its slice and <c>param.grad</c> is set to a view of that slice; libtorch
/// then accumulates every later backward into it in place. An optimizer can therefore update a whole
/// buffer, or one parameter group's contiguous segment of it, with a handful of kernels, and zero all
/// gradients with one fill.
/// <para>
/// Parameters are laid out group by group in the given order, so within each buffer every group is one
/// contiguous segment. Moving the module to another device or dtype after flattening (<c>module.to</c>)
/// replaces the parameters' storage and detaches them from the buffers: move first, flatten after.
/// </para>
/// </summary>
public sealed class FlatParameters : IDisposable
{
    private readonly List<Slot> _slots;
    private readonly List<FlatBuffer> _buffers = new();
    private int _unbound;
    private bool _disposed;

    /// <summary>Flattens all of <paramref name="module"/>'s parameters as a single group.</summary>
    public FlatParameters(nn.Module module) : this(new[] { module.parameters().ToList() }) { }

    /// <summary>Flattens <paramref name="groups"/> (each parameter at most once), group by group.</summary>
    public FlatParameters(IReadOnlyList<IReadOnlyList<Parameter>> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var seen = new HashSet<IntPtr>();
        var all = new List<(Parameter P, int Group)>();
        for (int g = 0; g < groups.Count; g++)
            foreach (var p in groups[g])
            {
                if (!seen.Add(p.Handle)) throw new ArgumentException("A parameter appears twice in the groups to flatten.", nameof(groups));
                all.Add((p, g));
            }
        GroupCount = groups.Count;

        // Buffers by (dtype, device) in order of first appearance; slots in group order inside each.
        var keys = new List<(ScalarType, DeviceType, int)>();
        foreach (var (p, _) in all)
        {
            var k = (p.dtype, p.device.type, p.device.index);
            if (!keys.Contains(k)) keys.Add(k);
        }
        _slots = new List<Slot>(all.Count);
        using var noGrad = no_grad();
        for (int b = 0; b < keys.Count; b++)
        {
            var members = all.Where(x => (x.P.dtype, x.P.device.type, x.P.device.index) == keys[b]).ToList();
            long total = members.Sum(x => x.P.numel());
            var first = members[0].P;
            // Long-lived: kept out of any dispose scope the caller may be in.
            var data = empty(total, first.dtype, first.device).DetachFromDisposeScope();
            var grad = zeros(total, first.dtype, first.device).DetachFromDisposeScope();
            long offset = 0;
            foreach (var (p, g) in members)
            {
                long n = p.numel();
                using (var view = data.narrow(0, offset, n).view(p.shape))
                {
                    view.copy_(p);
                    p.set_(view); // in-place: returns p itself, so not disposed
                }
                _slots.Add(new Slot(p, b, g, offset, n));
                offset += n;
            }
            _buffers.Add(new FlatBuffer(data, grad));
        }
        _unbound = _slots.Count;
        // Order slots by (buffer, offset): the layout order every consumer walks.
        _slots.Sort((a, c) => a.Buffer != c.Buffer ? a.Buffer.CompareTo(c.Buffer) : a.Offset.CompareTo(c.Offset));
        for (int i = 0; i < _slots.Count; i++) _slots[i].Index = i;
        BindGradients();
    }

    /// <summary>Number of parameter groups the layout was built from.</summary>
    public int GroupCount { get; }

    /// <summary>The flat parameter buffers, one per (dtype, device).</summary>
    public IReadOnlyList<Tensor> Data => _buffers.Select(b => b.Data).ToList();

    /// <summary>The flat gradient buffers (same layout as <see cref="Data"/>).</summary>
    public IReadOnlyList<Tensor> Grad => _buffers.Select(b => b.Grad).ToList();

    /// <summary>Total number of elements over all buffers.</summary>
    public long NumberOfElements => _slots.Sum(s => s.Numel);

    internal int BufferCount => _buffers.Count;
    internal FlatBuffer Buffer(int i) => _buffers[i];
    internal IReadOnlyList<Slot> Slots => _slots;

    /// <summary>Bumped whenever a parameter's gradient becomes bound to the flat gradient buffer.</summary>
    internal int BindingVersion { get; private set; }

    /// <summary>
    /// Binds every parameter that has a gradient but not yet a flat one: its gradient is copied into
    /// its slice of the gradient buffer and <c>param.grad</c> becomes a view of that slice. Cheap once
    /// all parameters are bound. Returns true when a binding changed.
    /// </summary>
    public bool BindGradients()
    {
        if (_unbound == 0) return false;
        bool changed = false;
        using var noGrad = no_grad();
        foreach (var s in _slots)
        {
            if (s.Bound) continue;
            using var g = s.Parameter.grad;
            if (g is null) continue;
            var view = _buffers[s.Buffer].Grad.narrow(0, s.Offset, s.Numel).view(s.Parameter.shape);
            view.copy_(g);
            s.Parameter.grad = view;
            view.Dispose();
            s.Bound = true;
            _unbound--;
            changed = true;
        }
        if (changed) BindingVersion++;
        return changed;
    }

    /// <summary>Zeroes every gradient: one fill per gradient buffer (like TorchSharp's zero_grad, gradients stay allocated).</summary>
    public void ZeroGrad()
    {
        BindGradients();
        using var noGrad = no_grad();
        foreach (var b in _buffers) b.Grad.zero_();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        // The parameters and their gradients keep the storage alive; only our handles go.
        foreach (var b in _buffers) { b.Data.Dispose(); b.Grad.Dispose(); }
    }

    internal sealed record FlatBuffer(Tensor Data, Tensor Grad);

    internal sealed class Slot(Parameter parameter, int buffer, int group, long offset, long numel)
    {
        public Parameter Parameter { get; } = parameter;
        public int Buffer { get; } = buffer;
        public int Group { get; } = group;
        public long Offset { get; } = offset;
        public long Numel { get; } = numel;
        public int Index { get; set; }
        /// <summary>Its gradient is a view of the flat gradient buffer.</summary>
        public bool Bound { get; set; }
    }
}
