using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// A model's parameters by stage, one optimizer parameter group each: which stages are frozen, each stage's own base
/// learning rate, and the rate and momentum every group gets per step (freezing forces a group's rate to 0, so neither
/// momentum nor weight decay can move it). The Learner's bookkeeping of fastai's freeze/unfreeze and discriminative
/// learning rates, apart from its loop.
/// </summary>
internal sealed class ParameterStages
{
    private readonly List<Stage> _stages;
    private readonly HashSet<string> _frozen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _baseRates = new(StringComparer.Ordinal);
    private List<optim.ILearningRateController> _groups = new();

    /// <summary>
    /// The stages of <paramref name="model"/> in order: its named child modules that own parameters (for a generated model
    /// the <c>[Stage]</c> names plus top-level layers outside any stage; for a hand-written one its registered submodules);
    /// "(root)" holds parameters registered directly on the model.
    /// </summary>
    public ParameterStages(nn.Module model)
    {
        var children = model.named_children().Select(c => c.name).ToHashSet(StringComparer.Ordinal);
        _stages = new List<Stage>();
        foreach (var (name, p) in model.named_parameters())
        {
            int dot = name.IndexOf('.');
            string stage = dot > 0 && children.Contains(name[..dot]) ? name[..dot] : "(root)";
            var g = _stages.FirstOrDefault(x => x.Name == stage);
            if (g is null) _stages.Add(g = new Stage(stage, new List<Parameter>()));
            g.Parameters.Add(p);
        }
        if (_stages.Count == 0) throw new ArgumentException($"Model {model.GetType().Name} has no parameters to train.", nameof(model));
    }

    /// <summary>The parameter lists the optimizer is built over, one group per stage, in order.</summary>
    public IReadOnlyList<IReadOnlyList<Parameter>> Groups => _stages.Select(s => (IReadOnlyList<Parameter>)s.Parameters).ToList();

    /// <summary>Binds the optimizer's parameter groups (built over <see cref="Groups"/>, in order).</summary>
    public void Bind(OptimizerHelper optimizer) => _groups = optimizer.ParamGroups.ToList();

    public IReadOnlyList<string> Names => _stages.Select(s => s.Name).ToList();

    public IReadOnlyCollection<string> Frozen => _frozen;

    public IReadOnlyDictionary<string, double> BaseRates => _baseRates;

    public void Freeze(IEnumerable<string> stages)
    {
        foreach (var s in stages)
        {
            var g = Get(s);
            foreach (var p in g.Parameters) p.requires_grad = false;
            _frozen.Add(g.Name);
        }
    }

    /// <summary>Unfreezes the named stages, or all of them when none are named.</summary>
    public void Unfreeze(IReadOnlyCollection<string> stages)
    {
        foreach (var g in stages.Count == 0 ? _stages : stages.Select(Get))
        {
            foreach (var p in g.Parameters) p.requires_grad = true;
            _frozen.Remove(g.Name);
        }
    }

    public void SetBaseRate(string stage, double? lr)
    {
        var g = Get(stage);
        if (lr is null) _baseRates.Remove(g.Name);
        else if (lr < 0 || !double.IsFinite(lr.Value)) throw new ArgumentOutOfRangeException(nameof(lr), lr, "A learning rate must be finite and ≥ 0.");
        else _baseRates[g.Name] = lr.Value;
    }

    public void ClearBaseRates() => _baseRates.Clear();

    /// <summary>Sets every group's rate to its base (stage override or <paramref name="baseLr"/>) × <paramref name="factor"/>, 0 when frozen; the first trainable stage's rate.</summary>
    public double ApplyLearningRate(double baseLr, double factor)
    {
        double first = double.NaN;
        for (int i = 0; i < _stages.Count; i++)
        {
            var s = _stages[i];
            double lr = _frozen.Contains(s.Name) ? 0 : (_baseRates.TryGetValue(s.Name, out var o) ? o : baseLr) * factor;
            _groups[i].LearningRate = lr;
            if (double.IsNaN(first) && !_frozen.Contains(s.Name)) first = lr;
        }
        return double.IsNaN(first) ? 0 : first;
    }

    /// <summary>The same rate for every trainable group (the LR finder's sweep), 0 for frozen ones.</summary>
    public void ApplyUniformRate(double lr)
    {
        for (int g = 0; g < _stages.Count; g++) _groups[g].LearningRate = _frozen.Contains(_stages[g].Name) ? 0 : lr;
    }

    /// <summary>
    /// Sets SGD or RMSprop momentum or Adam/AdamW β1 on every group; not where the optimizer was built without momentum
    /// (<paramref name="hasMomentum"/> false: that would switch it on).
    /// </summary>
    public void ApplyMomentum(double momentum, bool hasMomentum, bool fusedSgd)
    {
        foreach (var g in _groups)
        {
            switch (g)
            {
                case SGD.ParamGroup sgd when hasMomentum: sgd.Momentum = momentum; break;
                case RMSProp.ParamGroup rms when hasMomentum: rms.Momentum = momentum; break;
                case Adam.ParamGroup adam: adam.Betas = (momentum, adam.Betas.Item2); break;
                case AdamW.ParamGroup adamw: adamw.Betas = (momentum, adamw.Betas.Item2); break;
                case FusedParamGroup f when fusedSgd:
                    if (hasMomentum) f.Momentum = momentum;
                    break;
                case FusedParamGroup f: f.Betas = (momentum, f.Betas.Item2); break;
            }
        }
    }

    /// <summary>The learning rate each stage's group had for the most recent step.</summary>
    public IReadOnlyDictionary<string, double> CurrentRates =>
        _stages.Select((s, i) => (s.Name, _groups[i].LearningRate)).ToDictionary(x => x.Name, x => x.LearningRate);

    /// <summary>SGD momentum or Adam/AdamW β1 of each stage's group for the most recent step.</summary>
    public IReadOnlyDictionary<string, double> CurrentMomentum(bool fusedSgd) =>
        _stages.Select((s, i) => (s.Name, _groups[i] switch
        {
            SGD.ParamGroup sgd => sgd.Momentum,
            RMSProp.ParamGroup rms => rms.Momentum,
            Adam.ParamGroup adam => adam.Betas.Item1,
            AdamW.ParamGroup adamw => adamw.Betas.Item1,
            FusedParamGroup f => fusedSgd ? f.Momentum : f.Betas.Item1,
            _ => double.NaN,
        })).ToDictionary(x => x.Name, x => x.Item2);

    /// <summary>The parameters the optimizer may move: those of unfrozen stages that require gradients.</summary>
    public IEnumerable<Parameter> Trainable() =>
        _stages.Where(s => !_frozen.Contains(s.Name)).SelectMany(s => s.Parameters).Where(p => p.requires_grad);

    private Stage Get(string name) =>
        _stages.FirstOrDefault(s => s.Name == name)
        ?? throw new ArgumentException($"The model has no stage '{name}'. Stages: {string.Join(", ", Names)}.", nameof(name));

    private sealed record Stage(string Name, List<Parameter> Parameters);
}
