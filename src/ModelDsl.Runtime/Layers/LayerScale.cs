using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// ConvNeXt's layer scale: the map multiplied by a learnt C×1×1 tensor (torchvision's <c>layer_scale</c>, initialised to
/// a small constant such as 1e-6). torchvision keeps it as a bare parameter of its block, so its state_dict key is the
/// block's <c>layer_scale</c>, not <c>layer_scale.weight</c>: the generated model or block that holds it names its parameter
/// by the layer's key in <c>named_parameters</c> (<see cref="NameByKey"/>), which state_dict, optimizers, checkpoints and
/// <c>LoadFromPyTorch</c> all read.
/// </summary>
public sealed class LayerScale : WeightedModule
{
    public LayerScale(long channels, double init = 1e-6) : base(nameof(LayerScale))
    {
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), channels, "LayerScale needs at least one channel.");
        Channels = channels;
        weight = new Parameter(full(new[] { channels, 1L, 1L }, init));
    }

    public long Channels { get; }



    public override Tensor forward(Tensor input)
    {
        CheckMap(input, Channels, $"LayerScale({Channels})");
        return input.mul(weight!);
    }

    /// <summary>
    /// "weight" when asked alone; inside a module, nothing of its own: the holder's <c>named_parameters</c> has already listed
    /// the parameter under the name it gives it — the layer's key in a generated model or block (<see cref="NameByKey"/>),
    /// <c>key.weight</c> in a plain TorchSharp container — and a second entry here would list it twice.
    /// </summary>
    public override Dictionary<string, Tensor> state_dict(Dictionary<string, Tensor>? destination = null, string? prefix = null)
    {
        destination ??= new Dictionary<string, Tensor>();
        if (string.IsNullOrEmpty(prefix)) destination.TryAdd("weight", weight!);
        return destination;
    }

    /// <summary>
    /// <paramref name="parameters"/> (a module's <c>named_parameters</c>) with each LayerScale's <c>….weight</c> named by the
    /// layer's key, as its <see cref="state_dict"/> writes it. Generated models and blocks holding a LayerScale call it.
    /// </summary>
    public static IEnumerable<(string name, Parameter parameter)> NameByKey(nn.Module owner, IEnumerable<(string name, Parameter parameter)> parameters)
    {
        var scales = new HashSet<string>(owner.named_modules().Where(m => m.module is LayerScale).Select(m => m.name + ".weight"), StringComparer.Ordinal);
        foreach (var (name, parameter) in parameters)
            yield return (scales.Contains(name) ? name[..^".weight".Length] : name, parameter);
    }
}
