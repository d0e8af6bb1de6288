using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// An exponential moving average of the weights (timm's <c>ModelEmaV2</c>, torchvision's reference <c>ExponentialMovingAverage</c>):
/// after every optimizer step each parameter's average becomes decay·average + (1 − decay)·weight, and buffers (batch-norm
/// statistics) are copied; validation runs with the averaged weights, then the trained ones come back, so the table's
/// valid_loss and metrics are the average's. <see cref="CopyTo"/> puts the average into a model for deployment. The
/// average lives beside the model on its device (one copy of the parameters); it is not part of checkpoints: a resumed
/// run starts it again from the weights it resumes with.
/// </summary>
public sealed class ExponentialMovingAverage : ILearnerCallback, IDisposable
{
    private List<(Tensor Live, Tensor Average)>? _pairs;
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

    public void BeforeValidate(Learner learner) => Swap();

    public void AfterValidate(Learner learner) => Swap();

    /// <summary>Copies the average into <paramref name="model"/>'s parameters and buffers (the model trained, or one of its architecture).</summary>
    public void CopyTo(nn.Module model)
    {
        if (_pairs is null) throw new InvalidOperationException("ExponentialMovingAverage has no average yet: it starts with the first fit.");
        var targets = Tensors(model).ToList();
        if (targets.Count != _pairs.Count) throw new ArgumentException($"The model has {targets.Count} parameters and buffers; the average holds {_pairs.Count}.", nameof(model));
        using var noGrad = no_grad();
        for (int i = 0; i < targets.Count; i++) targets[i].copy_(_pairs[i].Average);
    }

    // Exchanges the model's tensors with the average (the live weights wait in the average's place during validation).
    private void Swap()
    {
        if (_pairs is null || Updates == 0) return;
        using var noGrad = no_grad();
        foreach (var (live, average) in _pairs)
        {
            using var held = live.clone();
            live.copy_(average);
            average.copy_(held);
        }
    }

    private static List<(Tensor Live, Tensor Average)> Snapshot(nn.Module model)
    {
        var list = new List<(Tensor, Tensor)>();
        foreach (var t in Tensors(model))
        {
            var copy = t.detach().clone();
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
