using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// torchvision's <c>AutoAugment(policy)</c>, per sample: one of the policy's 25 learned sub-policies drawn uniformly, then
/// its two steps in order, each applied with its own probability at its magnitude bin (of 10), the signed ops with a random
/// sign; nearest interpolation, zeros outside.
/// </summary>
public sealed class AutoAugment : RandomAugmentation
{
    /// <summary>It moves pixels; masks and boxes cannot follow it (see <see cref="RandomAugmentation"/>'s remarks).</summary>
    public override bool MovesPixels => true;

    private readonly AugmentationSpace _space = AugmentationSpace.AutoAugment();
    private readonly SubPolicy[] _policies;

    public AutoAugment(AutoAugmentPolicy policy = AutoAugmentPolicy.ImageNet, long? seed = null) : base(1, seed)
    {
        _policies = policy switch
        {
            AutoAugmentPolicy.ImageNet => s_imageNet,
            AutoAugmentPolicy.Cifar10 => s_cifar10,
            AutoAugmentPolicy.Svhn => s_svhn,
            _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "AutoAugment: the policy is ImageNet, Cifar10 or Svhn."),
        };
        Policy = policy;
    }

    public AutoAugmentPolicy Policy { get; }

    protected override Tensor ApplyCore(Tensor x, Generator g)
    {
        long n = x.shape[0];
        var dev = x.device;
        var (table, signed) = _space.Tables(x.shape[2], x.shape[3], dev);
        // As torchvision's get_params: the sub-policy, a probability draw and a sign per step.
        var policy = Integers(g, [n], dev, _policies.Length);
        var draws = rand([n, 2], ScalarType.Float32, dev, generator: g);
        var signs = Integers(g, [n, 2], dev, 2);
        var y = x;
        for (int step = 0; step < 2; step++)
        {
            var steps = _policies.Select(s => step == 0 ? s.First : s.Second).ToArray();
            var op = tensor(steps.Select(s => (long)Index(s.Op)).ToArray()).to(dev).index_select(0, policy);
            var p = tensor(steps.Select(s => (float)s.P).ToArray()).to(dev).index_select(0, policy);
            var bin = tensor(steps.Select(s => (long)(s.Bin ?? 0)).ToArray()).to(dev).index_select(0, policy);
            var magnitude = AugmentationSpace.Magnitudes(table, signed, op, bin, signs[.., step].eq(C(0L)));
            var applied = draws[.., step].le(p);                                    // torchvision: probs[i] <= p
            var chosen = where(applied, op, full([n], S((long)_space.Ops.Count), ScalarType.Int64, dev));   // Count = left as it is
            y = AugmentationOps.ApplyEach(y, chosen, magnitude, _space.Ops, GridSampleMode.Nearest);
        }
        return y;
    }

    private int Index(AugmentOp op)
    {
        for (int k = 0; k < _space.Ops.Count; k++)
            if (_space.Ops[k] == op) return k;
        throw new InvalidOperationException($"AutoAugment: {op} is not in its space.");
    }

    /// <summary>A sub-policy: two steps, each an op, its probability and its magnitude bin (null for the ops without magnitude).</summary>
    private sealed record SubPolicy((AugmentOp Op, double P, int? Bin) First, (AugmentOp Op, double P, int? Bin) Second);

    // torchvision's _get_policies, as listed there.
    private static readonly SubPolicy[] s_imageNet =
    [
        new((AugmentOp.Posterize, 0.4, 8), (AugmentOp.Rotate, 0.6, 9)),
        new((AugmentOp.Solarize, 0.6, 5), (AugmentOp.AutoContrast, 0.6, null)),
        new((AugmentOp.Equalize, 0.8, null), (AugmentOp.Equalize, 0.6, null)),
        new((AugmentOp.Posterize, 0.6, 7), (AugmentOp.Posterize, 0.6, 6)),
        new((AugmentOp.Equalize, 0.4, null), (AugmentOp.Solarize, 0.2, 4)),
        new((AugmentOp.Equalize, 0.4, null), (AugmentOp.Rotate, 0.8, 8)),
        new((AugmentOp.Solarize, 0.6, 3), (AugmentOp.Equalize, 0.6, null)),
        new((AugmentOp.Posterize, 0.8, 5), (AugmentOp.Equalize, 1.0, null)),
        new((AugmentOp.Rotate, 0.2, 3), (AugmentOp.Solarize, 0.6, 8)),
        new((AugmentOp.Equalize, 0.6, null), (AugmentOp.Posterize, 0.4, 6)),
        new((AugmentOp.Rotate, 0.8, 8), (AugmentOp.Color, 0.4, 0)),
        new((AugmentOp.Rotate, 0.4, 9), (AugmentOp.Equalize, 0.6, null)),
        new((AugmentOp.Equalize, 0.0, null), (AugmentOp.Equalize, 0.8, null)),
        new((AugmentOp.Invert, 0.6, null), (AugmentOp.Equalize, 1.0, null)),
        new((AugmentOp.Color, 0.6, 4), (AugmentOp.Contrast, 1.0, 8)),
        new((AugmentOp.Rotate, 0.8, 8), (AugmentOp.Color, 1.0, 2)),
        new((AugmentOp.Color, 0.8, 8), (AugmentOp.Solarize, 0.8, 7)),
        new((AugmentOp.Sharpness, 0.4, 7), (AugmentOp.Invert, 0.6, null)),
        new((AugmentOp.ShearX, 0.6, 5), (AugmentOp.Equalize, 1.0, null)),
        new((AugmentOp.Color, 0.4, 0), (AugmentOp.Equalize, 0.6, null)),
        new((AugmentOp.Equalize, 0.4, null), (AugmentOp.Solarize, 0.2, 4)),
        new((AugmentOp.Solarize, 0.6, 5), (AugmentOp.AutoContrast, 0.6, null)),
        new((AugmentOp.Invert, 0.6, null), (AugmentOp.Equalize, 1.0, null)),
        new((AugmentOp.Color, 0.6, 4), (AugmentOp.Contrast, 1.0, 8)),
        new((AugmentOp.Equalize, 0.8, null), (AugmentOp.Equalize, 0.6, null)),
    ];

    private static readonly SubPolicy[] s_cifar10 =
    [
        new((AugmentOp.Invert, 0.1, null), (AugmentOp.Contrast, 0.2, 6)),
        new((AugmentOp.Rotate, 0.7, 2), (AugmentOp.TranslateX, 0.3, 9)),
        new((AugmentOp.Sharpness, 0.8, 1), (AugmentOp.Sharpness, 0.9, 3)),
        new((AugmentOp.ShearY, 0.5, 8), (AugmentOp.TranslateY, 0.7, 9)),
        new((AugmentOp.AutoContrast, 0.5, null), (AugmentOp.Equalize, 0.9, null)),
        new((AugmentOp.ShearY, 0.2, 7), (AugmentOp.Posterize, 0.3, 7)),
        new((AugmentOp.Color, 0.4, 3), (AugmentOp.Brightness, 0.6, 7)),
        new((AugmentOp.Sharpness, 0.3, 9), (AugmentOp.Brightness, 0.7, 9)),
        new((AugmentOp.Equalize, 0.6, null), (AugmentOp.Equalize, 0.5, null)),
        new((AugmentOp.Contrast, 0.6, 7), (AugmentOp.Sharpness, 0.6, 5)),
        new((AugmentOp.Color, 0.7, 7), (AugmentOp.TranslateX, 0.5, 8)),
        new((AugmentOp.Equalize, 0.3, null), (AugmentOp.AutoContrast, 0.4, null)),
        new((AugmentOp.TranslateY, 0.4, 3), (AugmentOp.Sharpness, 0.2, 6)),
        new((AugmentOp.Brightness, 0.9, 6), (AugmentOp.Color, 0.2, 8)),
        new((AugmentOp.Solarize, 0.5, 2), (AugmentOp.Invert, 0.0, null)),
        new((AugmentOp.Equalize, 0.2, null), (AugmentOp.AutoContrast, 0.6, null)),
        new((AugmentOp.Equalize, 0.2, null), (AugmentOp.Equalize, 0.6, null)),
        new((AugmentOp.Color, 0.9, 9), (AugmentOp.Equalize, 0.6, null)),
        new((AugmentOp.AutoContrast, 0.8, null), (AugmentOp.Solarize, 0.2, 8)),
        new((AugmentOp.Brightness, 0.1, 3), (AugmentOp.Color, 0.7, 0)),
        new((AugmentOp.Solarize, 0.4, 5), (AugmentOp.AutoContrast, 0.9, null)),
        new((AugmentOp.TranslateY, 0.9, 9), (AugmentOp.TranslateY, 0.7, 9)),
        new((AugmentOp.AutoContrast, 0.9, null), (AugmentOp.Solarize, 0.8, 3)),
        new((AugmentOp.Equalize, 0.8, null), (AugmentOp.Invert, 0.1, null)),
        new((AugmentOp.TranslateY, 0.7, 9), (AugmentOp.AutoContrast, 0.9, null)),
    ];

    private static readonly SubPolicy[] s_svhn =
    [
        new((AugmentOp.ShearX, 0.9, 4), (AugmentOp.Invert, 0.2, null)),
        new((AugmentOp.ShearY, 0.9, 8), (AugmentOp.Invert, 0.7, null)),
        new((AugmentOp.Equalize, 0.6, null), (AugmentOp.Solarize, 0.6, 6)),
        new((AugmentOp.Invert, 0.9, null), (AugmentOp.Equalize, 0.6, null)),
        new((AugmentOp.Equalize, 0.6, null), (AugmentOp.Rotate, 0.9, 3)),
        new((AugmentOp.ShearX, 0.9, 4), (AugmentOp.AutoContrast, 0.8, null)),
        new((AugmentOp.ShearY, 0.9, 8), (AugmentOp.Invert, 0.4, null)),
        new((AugmentOp.ShearY, 0.9, 5), (AugmentOp.Solarize, 0.2, 6)),
        new((AugmentOp.Invert, 0.9, null), (AugmentOp.AutoContrast, 0.8, null)),
        new((AugmentOp.Equalize, 0.6, null), (AugmentOp.Rotate, 0.9, 3)),
        new((AugmentOp.ShearX, 0.9, 4), (AugmentOp.Solarize, 0.3, 3)),
        new((AugmentOp.ShearY, 0.8, 8), (AugmentOp.Invert, 0.7, null)),
        new((AugmentOp.Equalize, 0.9, null), (AugmentOp.TranslateY, 0.6, 6)),
        new((AugmentOp.Invert, 0.9, null), (AugmentOp.Equalize, 0.6, null)),
        new((AugmentOp.Contrast, 0.3, 3), (AugmentOp.Rotate, 0.8, 4)),
        new((AugmentOp.Invert, 0.8, null), (AugmentOp.TranslateY, 0.0, 2)),
        new((AugmentOp.ShearY, 0.7, 6), (AugmentOp.Solarize, 0.4, 8)),
        new((AugmentOp.Invert, 0.6, null), (AugmentOp.Rotate, 0.8, 4)),
        new((AugmentOp.ShearY, 0.3, 7), (AugmentOp.TranslateX, 0.9, 3)),
        new((AugmentOp.ShearX, 0.1, 6), (AugmentOp.Invert, 0.6, null)),
        new((AugmentOp.Solarize, 0.7, 2), (AugmentOp.TranslateY, 0.6, 7)),
        new((AugmentOp.ShearY, 0.8, 4), (AugmentOp.Invert, 0.8, null)),
        new((AugmentOp.ShearX, 0.7, 9), (AugmentOp.TranslateY, 0.8, 3)),
        new((AugmentOp.ShearY, 0.8, 5), (AugmentOp.AutoContrast, 0.7, null)),
        new((AugmentOp.ShearX, 0.7, 2), (AugmentOp.Invert, 0.1, null)),
    ];
}
