using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// <c>nn.Linear</c> over the channels of each pixel of an N×C×H×W batch, as ConvNeXt writes its MLP
/// (<c>Permute([0, 2, 3, 1])</c>, <c>nn.Linear</c>, …, <c>Permute([0, 3, 1, 2])</c>): permuted to channels-last, multiplied by
/// the out×in weight, permuted back. The numbers of a 1×1 convolution, with nn.Linear's weight shape and initialisation, so
/// torchvision's "weight" and "bias" load as they are. The generator emits it for every <c>[PointwiseLinear]</c>.
/// </summary>
public sealed class PointwiseLinear : WeightedModule
{
    public PointwiseLinear(long inFeatures, long outFeatures, bool hasBias = true) : base(nameof(PointwiseLinear))
    {
        if (inFeatures < 1) throw new ArgumentOutOfRangeException(nameof(inFeatures), inFeatures, "PointwiseLinear needs at least one input channel.");
        if (outFeatures < 1) throw new ArgumentOutOfRangeException(nameof(outFeatures), outFeatures, "PointwiseLinear needs at least one output channel.");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        // nn.Linear's initialisation (kaiming_uniform with a = √5, i.e. U(±1/√in), for both tensors).
        double bound = 1.0 / Math.Sqrt(inFeatures);
        weight = new Parameter(empty(outFeatures, inFeatures).uniform_(-bound, bound));
        if (hasBias)
        {
            bias = new Parameter(empty(outFeatures).uniform_(-bound, bound));
        }
    }

    public long InFeatures { get; }
    public long OutFeatures { get; }



    public override Tensor forward(Tensor input)
    {
        CheckMap(input, InFeatures, $"PointwiseLinear({InFeatures} → {OutFeatures})");
        using var scope = NewDisposeScope();
        var y = nn.functional.linear(input.permute(0, 2, 3, 1), weight!, bias);
        return y.permute(0, 3, 1, 2).MoveToOuterDisposeScope();
    }
}
