using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// <c>[Reshape(…)]</c>'s module: <c>x.reshape(N, *dims)</c> with the per-sample dimensions the generator resolved
/// (any -1 already filled in). A module, not an inline call, so that forward hooks fire on it as on any layer.
/// <c>reshape</c> rather than <c>view</c>: after a Permute the input is not contiguous, where view would throw.
/// </summary>
public sealed class ReshapeModule : nn.Module<Tensor, Tensor>
{
    private readonly long[] _dims;

    public ReshapeModule(params long[] dims) : base(nameof(ReshapeModule))
    {
        if (dims is null || dims.Length < 1 || dims.Length > Shape.MaxRank)
            throw new ArgumentException($"A reshape gives 1 to {Shape.MaxRank} per-sample dimensions.", nameof(dims));
        _dims = (long[])dims.Clone();
    }

    /// <summary>The per-sample dimensions of the output.</summary>
    public IReadOnlyList<long> Dims => _dims;

    public override Tensor forward(Tensor input)
    {
        var shape = new long[_dims.Length + 1];
        shape[0] = input.shape[0];
        _dims.CopyTo(shape, 1);
        return input.reshape(shape);
    }
}

/// <summary>
/// <c>[Permute(…)]</c>'s module: <c>x.permute(0, *[d + 1 for d in dims])</c>, the batch dimension kept first.
/// </summary>
public sealed class PermuteModule : nn.Module<Tensor, Tensor>
{
    private readonly long[] _order;

    public PermuteModule(params long[] dims) : base(nameof(PermuteModule))
    {
        if (dims is null || dims.Length < 1 || dims.Length > Shape.MaxRank)
            throw new ArgumentException($"A permutation reorders 1 to {Shape.MaxRank} per-sample dimensions.", nameof(dims));
        _order = new long[dims.Length + 1];
        for (int i = 0; i < dims.Length; i++) _order[i + 1] = dims[i] + 1;
    }

    public override Tensor forward(Tensor input) => input.permute(_order);
}
