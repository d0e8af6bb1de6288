using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// An exponential moving average of the weights (timm's <c>ModelEmaV2</c>, torchvision's reference <c>ExponentialMovingAverage</c>):
/// after every optimizer step each parameter's average becomes decay·average + (1 − decay)·weight, floating-point buffers
/// (batch-norm statistics) are averaged the same way and integer ones (batch counts) copied; validation runs with the
/// averaged weights, then the trained ones come back, so the table's valid_loss and metrics are the average's.
/// <see cref="CopyTo"/> puts the average into a model for deployment. The average lives beside the model on its device, in
/// float32 whatever the model's type (in bfloat16 a 0.1 % step is below half a unit in the last place: the average would
/// never move); it is not part of checkpoints: a resumed run starts it again from the weights it resumes with.
/// </summary>
public sealed class ExponentialMovingAverage : ILearnerCallback, IDisposable
{
    private List<(Tensor Live, Tensor Average)>? _pairs;
    private List<Tensor>? _held; // the trained weights while validation runs with the average
    private Scalar? _decay, _rest;

    public ExponentialMovingAverage(double decay = 0.999)
    {
        if (!(decay is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(decay), decay, "ExponentialMovingAverage: the decay is in [0, 1).");
        Decay = decay;
    }

    public double Decay { get; }

    /// <summary>Optimizer steps averaged so far.</summary>
    public long Updates { get; private set; }

    public void OnFitStart(Learner learner) => _pairs ??= Snapshot(learner.Module);

    public void AfterStep(StepContext step)
    {
        if (!step.StepOptimizer || step.BatchCancelled) return;
        _pairs ??= Snapshot(step.Learner.Module);
        _decay ??= Decay.ToScalar();
        _rest ??= (1 - Decay).ToScalar();
        using var noGrad = no_grad();
        foreach (var (live, average) in _pairs)
        {
            if (average.is_floating_point()) average.mul_(_decay).add_(live.detach(), alpha: _rest);
            else average.copy_(live);
        }
        Updates++;
    }

    public void BeforeValidate(Learner learner)
    {
        if (_pairs is null || Updates == 0 || _held is not null) return;
        using var noGrad = no_grad();
        _held = _pairs.Select(p => p.Live.detach().clone().DetachFromDisposeScope()).ToList();
        foreach (var (live, average) in _pairs) live.copy_(average);
    }

    public void AfterValidate(Learner learner)
    {
        if (_held is null) return;
        using var noGrad = no_grad();
        for (int i = 0; i < _held.Count; i++)
        {
            _pairs![i].Live.copy_(_held[i]);
            _held[i].Dispose();
        }
        _held = null;
    }

    /// <summary>Copies the average into <paramref name="model"/>'s parameters and buffers (the model trained, or one of its architecture).</summary>
    public void CopyTo(nn.Module model)
    {
        if (_pairs is null) throw new InvalidOperationException("ExponentialMovingAverage has no average yet: it starts with the first fit.");
        var targets = Tensors(model).ToList();
        if (targets.Count != _pairs.Count) throw new ArgumentException($"The model has {targets.Count} parameters and buffers; the average holds {_pairs.Count}.", nameof(model));
        using var noGrad = no_grad();
        for (int i = 0; i < targets.Count; i++) targets[i].copy_(_pairs[i].Average);
    }

    private static List<(Tensor Live, Tensor Average)> Snapshot(nn.Module model)
    {
        var list = new List<(Tensor, Tensor)>();
        foreach (var t in Tensors(model))
        {
            var copy = (t.is_floating_point() ? t.detach().to_type(ScalarType.Float32) : t.detach()).clone();
            copy.DetachFromDisposeScope();
            list.Add((t, copy));
        }
        return list;
    }

    private static IEnumerable<Tensor> Tensors(nn.Module model)
        => model.parameters().Cast<Tensor>().Concat(model.buffers());

    public void Dispose()
    {
        if (_pairs is not null) foreach (var (_, average) in _pairs) average.Dispose();
        _pairs = null;
        _decay?.Dispose();
        _rest?.Dispose();
    }
}
