using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// A user's own optimizer (<see cref="OptimizerSpec.Custom"/>): any TorchSharp <c>OptimizerHelper</c> (one of
/// <c>torch.optim</c>'s, or a class of one's own) built over the Learner's parameter groups. The Learner keeps driving it as
/// it drives the built-in ones: the schedule sets each group's learning rate every step, freezing sets a stage's to 0, and
/// its state (<c>state_dict</c>) goes into every checkpoint and comes back on resume.
/// </summary>
/// <param name="Name">A name for messages and checkpoints (e.g. "Adagrad").</param>
/// <param name="Factory">Builds the optimizer from the parameter groups (one per stage, in order) and a starting learning rate; it must make one parameter group per given group, in order.</param>
public sealed record CustomOptimizerSpec(string Name, Func<IReadOnlyList<IReadOnlyList<Parameter>>, double, OptimizerHelper> Factory) : OptimizerSpec
{
    internal override OptimizerHelper Build(IReadOnlyList<IReadOnlyList<Parameter>> groups, double lr)
    {
        // Mixed precision keeps float32 master weights in a fused optimizer's flat buffers; a user's optimizer has none.
        if (Fused) throw new NotSupportedException($"The custom optimizer '{Name}' has no fused form, and mixed precision needs one: train it in float32, or use SGD, Adam or AdamW.");
        var optimizer = Factory(groups, lr) ?? throw new InvalidOperationException($"The custom optimizer '{Name}' factory returned null.");
        int built = optimizer.ParamGroups.Count();
        if (built != groups.Count)
            throw new InvalidOperationException(
                $"The custom optimizer '{Name}' has {built} parameter group(s) but the Learner gave it {groups.Count} (one per stage): build one group per given list, in order, so the schedule and Freeze reach each stage.");
        return optimizer;
    }
}
