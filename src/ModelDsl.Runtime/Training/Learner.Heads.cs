using ModelDsl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>Training a model with several heads: its forward returns an <see cref="IModelOutput"/> record, the loss takes it.</summary>
public sealed partial class Learner
{
    /// <summary>
    /// A learner for a model with several heads (a generated <c>Module&lt;Tensor, {Model}Output&gt;</c>, or any module
    /// whose output implements <see cref="IModelOutput"/>). Everything a single-tensor learner does works the same —
    /// fit, one-cycle, validation, checkpoints, the LR finder, mixed precision, callbacks — with two differences:
    /// <see cref="LearnerOptions.Loss"/> must take the heads (<see cref="Loss.ForHeads"/>), and metrics,
    /// <see cref="Predict"/> and <see cref="GetPredictions"/> see the heads concatenated along dimension 1
    /// (<see cref="ModelOutputs.Concatenated"/>); <see cref="PredictHeads{TOutput}"/> gives the record itself.
    /// <see cref="Model"/> throws (there is no single-tensor model); <see cref="Module"/> is the model.
    /// </summary>
    public static Learner ForHeads<TOutput>(nn.Module<Tensor, TOutput> model, IEnumerable<Batch> train, IEnumerable<Batch>? valid = null, LearnerOptions? options = null)
        where TOutput : IModelOutput
    {
        ArgumentNullException.ThrowIfNull(model);
        var loss = (options ?? new LearnerOptions()).Loss;
        if (!loss.TakesHeads)
            throw new ArgumentException(
                $"{model.GetType().Name} returns {typeof(TOutput).Name} (several heads), but the loss '{loss.Name}' takes one tensor: " +
                "build the loss with Loss.ForHeads(name, (output, targets) => …).", nameof(options));
        return new Learner(model, x => new ForwardOutput(model.forward(x)), train, valid, options);
    }

    /// <summary>
    /// The model's output for one batch of inputs — the multi-head record of a <see cref="ForHeads{TOutput}"/> learner —
    /// in eval mode without gradients, on the learner's device. The caller disposes the heads.
    /// </summary>
    public TOutput PredictHeads<TOutput>(Tensor inputs) where TOutput : IModelOutput
    {
        if (Module is not nn.Module<Tensor, TOutput> model)
            throw new InvalidOperationException($"This learner trains {Module.GetType().Name}, whose forward does not return {typeof(TOutput).Name}.");
        using var evalMode = new EvalMode(Module);
        using var noGrad = no_grad();
        var x = OnDevice(inputs);
        using var scope = NewDisposeScope();
        if (_lowPrecision is { } low && x.is_floating_point()) x = x.to(low);
        var output = model.forward(x);
        // Under mixed precision the heads stay in the low-precision type here: the record cannot be rebuilt generically.
        foreach (var head in output.Heads) head.MoveToOuterDisposeScope();
        return output;
    }
}
