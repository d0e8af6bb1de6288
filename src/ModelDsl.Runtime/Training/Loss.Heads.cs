using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>Losses of models with several heads (<see cref="IModelOutput"/>, trained with <see cref="Learner.ForHeads{TOutput}"/>).</summary>
public sealed partial class Loss
{
    private readonly Func<IModelOutput, Tensor, Tensor>? _heads;

    // (heads, name), not (name, fn): no overload of the single-tensor constructor for a lambda to be resolved against.
    private Loss(Func<IModelOutput, Tensor, Tensor> heads, string name)
    {
        Name = name;
        _heads = heads;
        _fn = (_, _) => throw new ArgumentException(
            $"The loss '{name}' takes a multi-head model's output (Loss.ForHeads), not one tensor: train the model with Learner.ForHeads.");
    }

    /// <summary>Whether this loss takes a multi-head output (<see cref="ForHeads"/>) rather than one tensor.</summary>
    public bool TakesHeads => _heads is not null;

    /// <summary>Mean loss of one batch of a multi-head model, as a scalar tensor that still carries the autograd graph.</summary>
    public Tensor Compute(IModelOutput output, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_heads is null)
            throw new ArgumentException(
                $"The loss '{Name}' takes one tensor, but the model has heads {string.Join(", ", output.HeadNames)}: build its loss with Loss.ForHeads.");
        return _heads(output, targets);
    }

    /// <summary>
    /// A loss over the heads of a multi-head model: <paramref name="fn"/> gets the model's output (reach a head with
    /// <c>output.Head("Boxes")</c> or <c>output.Heads[i]</c>; under mixed precision the heads are float32 copies) and the
    /// batch's targets, and returns the batch mean as a scalar tensor — e.g. a weighted sum of one loss per head.
    /// </summary>
    public static Loss ForHeads(string name, Func<IModelOutput, Tensor, Tensor> fn)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(fn);
        return new Loss(fn, name);
    }
}
