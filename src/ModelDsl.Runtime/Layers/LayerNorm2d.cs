using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// torchvision's <c>LayerNorm2d</c> (ConvNeXt): <c>nn.LayerNorm</c> over the channels of each pixel of an N×C×H×W batch —
/// permuted to channels-last, normalised over C, permuted back — with a weight and a bias per channel, named
/// "weight" and "bias" as in torchvision's state_dict. The generator emits it for every <c>[LayerNorm2d]</c>.
/// </summary>
public sealed class LayerNorm2d : WeightedModule
{
    private readonly long[] _normalizedShape;

    public LayerNorm2d(long channels, double eps = 1e-5, bool elementwiseAffine = true) : base(nameof(LayerNorm2d))
    {
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), channels, "LayerNorm2d needs at least one channel.");
        Channels = channels;
        Eps = eps;
        _normalizedShape = new[] { channels };
        if (elementwiseAffine)
        {
            weight = new Parameter(ones(channels));
            bias = new Parameter(zeros(channels));
        }
    }

    public long Channels { get; }
    public double Eps { get; }



    public override Tensor forward(Tensor input)
    {
        CheckMap(input, Channels, $"LayerNorm2d({Channels})");
        using var scope = NewDisposeScope();
        var y = nn.functional.layer_norm(input.permute(0, 2, 3, 1), _normalizedShape, weight, bias, Eps);
        return y.permute(0, 3, 1, 2).MoveToOuterDisposeScope();
    }
}
