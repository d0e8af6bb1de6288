using System.Reflection;
using ModelDsl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// A training batch that leaves a BatchNorm one value per channel (one sample at a BatchNorm1d, or one sample of a 1×1
/// map): PyTorch's <c>F.batch_norm</c> raises "Expected more than 1 value per channel when training"; libtorch, which
/// TorchSharp calls directly, does not check, and the unbiased variance of one value (÷ (n − 1) = ÷ 0) writes NaN into
/// the running variance — every later evaluation is then NaN, silently. Two defences, both while a Learner holds the model:
/// <list type="bullet">
/// <item>the training loader leaves out a <b>last batch of one sample</b> when the model has a BatchNorm (ModelDsl's
/// loaders, through their settable <c>DropSingleLastBatch</c>; a shuffled loader leaves out a different sample each
/// epoch), and the fit says so in one line;</item>
/// <item>every BatchNorm refuses any other such batch in training with PyTorch's reason, naming the layer (a forward
/// pre-hook): never NaN statistics.</item>
/// </list>
/// </summary>
internal sealed class BatchNormBatches : IDisposable
{
    private readonly List<Action> _removers = new();

    public BatchNormBatches(nn.Module model)
    {
        foreach (var (name, module) in model.named_modules())
        {
            if (module is not TorchSharp.Modules.BatchNorm norm) continue;
            Names.Add(name);
            string kind = module.GetType().Name, layer = name;
            var remover = norm.register_forward_pre_hook((m, input) =>
            {
                if (m.training && ValuesPerChannel(input) == 1)
                    throw new InvalidOperationException(
                        $"{kind} '{layer}': expected more than 1 value per channel when training, got input size [{string.Join(", ", input.shape)}] " +
                        "(PyTorch raises the same; TorchSharp would write NaN into the running variance). A batch of one sample cannot be " +
                        "normalised by its own statistics: use batches of 2 or more, or dropLast: true on the training loader.");
                return input;
            });
            _removers.Add(remover.remove);
        }
    }

    /// <summary>The model's BatchNorm layers, by their state-dict path.</summary>
    public List<string> Names { get; } = new();

    /// <summary>
    /// Has <paramref name="train"/> leave out a last batch of one sample when the model has a BatchNorm; the line the fit
    /// prints about it, or null when nothing is left out (no BatchNorm, no such batch, or a loader that cannot drop it —
    /// the pre-hook then refuses that batch with PyTorch's reason).
    /// </summary>
    public string? PrepareTrainLoader(IEnumerable<Batch> train)
    {
        var drop = train.GetType().GetProperty("DropSingleLastBatch", BindingFlags.Public | BindingFlags.Instance);
        if (drop is null || !drop.CanWrite || drop.PropertyType != typeof(bool)) return null;
        if (Names.Count == 0) return null; // a model without BatchNorm trains on a batch of one; the loader keeps it
        drop.SetValue(train, true);
        if (train.GetType().GetProperty("DropsOneSample")?.GetValue(train) is not true) return null;
        return $"note: the training loader's last batch holds 1 sample, and BatchNorm ('{Names[0]}'{(Names.Count > 1 ? $" and {Names.Count - 1} more" : "")}) " +
               "needs more than 1 value per channel in training (PyTorch raises); that batch is left out of each epoch.";
    }

    /// <summary>Values per channel a BatchNorm sees: the batch times every axis after the channels.</summary>
    private static long ValuesPerChannel(Tensor input)
    {
        long n = input.shape[0];
        for (int i = 2; i < input.shape.Length; i++) n *= input.shape[i];
        return n;
    }

    public void Dispose()
    {
        foreach (var remove in _removers) remove();
        _removers.Clear();
    }
}
