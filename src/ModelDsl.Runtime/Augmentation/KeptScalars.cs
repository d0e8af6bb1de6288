using TorchSharp;

namespace ModelDsl.Augmentation;

/// <summary>
/// Numbers for tensor arithmetic as libtorch Scalars that stay alive until <see cref="Dispose"/>.
/// <para>Why: TorchSharp 0.107 turns a .NET number in <c>x * 0.5</c>, <c>x.lt(p)</c> or <c>elu(alpha)</c> into a
/// <see cref="Scalar"/> object and passes only its native handle to libtorch; nothing keeps the object alive during
/// the call, so a garbage collection at that moment lets the finalizer thread free the native Scalar while libtorch
/// reads it ("Unknown scalar type", "Expected false to be true" in a toFloat check). Loader threads make collections
/// frequent; ScalarLifetimeStressTests reproduces it. Holding each Scalar in a list until the operation is done removes
/// the race; reported upstream (docs/upstream/torchsharp-scalar-lifetime.md).</para>
/// </summary>
internal sealed class KeptScalars : IDisposable
{
    private readonly List<Scalar> _scalars = new();

    /// <summary><paramref name="value"/> as a Scalar kept until <see cref="Dispose"/>.</summary>
    public Scalar Of(double value)
    {
        var s = value.ToScalar();
        _scalars.Add(s);
        return s;
    }

    /// <summary>Frees every Scalar handed out; the instance can be used again afterwards.</summary>
    public void Dispose()
    {
        foreach (var s in _scalars) s.Dispose();
        _scalars.Clear();
    }
}
