using ModelDsl.Interop;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Zoo;

/// <summary>
/// A trained zoo model's backbone under a new head for another task, as fastai's <c>vision_learner</c> cuts a pretrained net:
/// a fresh model of the same architecture for <c>numClasses</c> (its head freshly initialised as PyTorch initialises it), every
/// other tensor copied from the trained one. Then <c>Learner.FineTune</c> trains it (docs/ZOO.md).
/// </summary>
public static class ZooFineTuning
{
    /// <summary>The state_dict path of the model's head: its last layer with weights sized by the class count (a Linear or a Conv2d).</summary>
    public static string HeadOf(Type model)
    {
        var graph = model.GetProperty("Graph")?.GetValue(null) as ModelGraph
            ?? throw new ArgumentException($"{model.Name} is not a generated model (it has no Graph).", nameof(model));
        return graph.AllNodes.LastOrDefault(n => n.Op is LinearOp or Conv2dOp)?.Path
            ?? throw new ArgumentException($"{model.Name} has no Linear or Conv2d head.", nameof(model));
    }

    /// <summary>
    /// A new <typeparamref name="T"/> for <paramref name="numClasses"/> classes holding <paramref name="trained"/>'s weights and
    /// batch-norm statistics everywhere but its head (<see cref="HeadOf"/>), in eval mode, on <paramref name="trained"/>'s device.
    /// </summary>
    public static T WithNewHead<T>(T trained, long numClasses) where T : nn.Module<Tensor, Tensor>
    {
        string head = HeadOf(typeof(T)) + ".";
        var fresh = (T)(Activator.CreateInstance(typeof(T), numClasses)
            ?? throw new ArgumentException($"{typeof(T).Name} takes no class count.", nameof(trained)));
        var device = trained.parameters().FirstOrDefault()?.device ?? CPU;
        fresh.to(device);
        var source = trained.state_dict();
        var copied = 0;
        using (no_grad())
            foreach (var (name, tensor) in fresh.state_dict())
            {
                if (name.StartsWith(head, StringComparison.Ordinal)) continue;
                var from = source[name];
                if (!from.shape.SequenceEqual(tensor.shape))
                    throw new InvalidOperationException($"{typeof(T).Name}: {name} is [{string.Join(", ", from.shape)}] in the trained model and [{string.Join(", ", tensor.shape)}] with {numClasses} classes; only the head may change.");
                tensor.copy_(from);
                copied++;
            }
        if (copied == 0) throw new InvalidOperationException($"{typeof(T).Name}: nothing but a head to copy.");
        fresh.eval();
        return fresh;
    }
}
