using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>Reaching the heads of a multi-head model's output (<see cref="IModelOutput"/>) by name, or as one tensor.</summary>
public static class ModelOutputs
{
    /// <summary>The head called <paramref name="name"/>; the error lists the heads there are.</summary>
    public static Tensor Head(this IModelOutput output, string name)
    {
        ArgumentNullException.ThrowIfNull(output);
        for (int i = 0; i < output.HeadNames.Count; i++)
            if (output.HeadNames[i] == name) return output.Heads[i];
        throw new ArgumentException($"The model output has no head '{name}'; its heads: {string.Join(", ", output.HeadNames)}.", nameof(name));
    }

    /// <summary>
    /// The heads concatenated along dimension 1 (channels, or features), in declaration order: for heads that agree in
    /// every other dimension, e.g. two dense heads over one feature map (N×11×8×8 and N×5×8×8 give N×16×8×8).
    /// This is what a <see cref="Training.Learner"/> of a multi-head model hands its metrics and predictions.
    /// </summary>
    public static Tensor Concatenated(IModelOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var heads = output.Heads;
        if (heads.Count == 0) throw new ArgumentException("The model output has no heads.", nameof(output));
        if (heads.Count == 1) return heads[0];
        var first = heads[0];
        for (int i = 1; i < heads.Count; i++)
        {
            var h = heads[i];
            bool agree = h.dim() == first.dim() && h.dim() >= 2 && Enumerable.Range(0, (int)h.dim()).All(d => d == 1 || h.shape[d] == first.shape[d]);
            if (!agree)
                throw new ArgumentException(
                    $"The heads cannot be seen as one tensor (concatenated along dimension 1): {Describe(output)}. " +
                    "They must agree in every dimension but 1; give the learner no metrics and decode the heads yourself (Learner.PredictHeads).");
        }
        return cat(heads.ToArray(), 1);
    }

    private static string Describe(IModelOutput output) =>
        string.Join(", ", output.HeadNames.Zip(output.Heads, (n, t) => $"{n} [{string.Join(", ", t.shape)}]"));
}
