using System.Collections.Concurrent;
using TorchSharp;

namespace ModelDsl.Platform;

/// <summary>
/// Numbers for tensor arithmetic as libtorch Scalars that stay alive while libtorch uses them.
/// <para>Why: TorchSharp 0.107 turns a .NET number in <c>x * 0.5</c>, <c>x.lt(p)</c> or <c>elu(alpha)</c> into a
/// <see cref="Scalar"/> object and passes only its native handle to libtorch; it does the same with the alpha of 1 it
/// adds itself in <c>a + b</c>, <c>add(t)</c> and <c>add_(t)</c>. Nothing keeps that object alive during the call, so a
/// garbage collection at that moment lets the finalizer thread free the native Scalar while libtorch reads it
/// ("Unknown scalar type", "Expected false to be true" in a toFloat check). Loader threads make collections frequent;
/// ScalarLifetimeStressTests reproduces it. Holding each Scalar until the operation is done removes the race; reported
/// upstream (docs/upstream/torchsharp-scalar-lifetime.md).</para>
/// <para>Two kinds: an instance keeps the Scalars of one call (values computed at run time) until
/// <see cref="Dispose"/>; <see cref="Constant(double)"/> and <see cref="One"/> are process-wide Scalars for the literal
/// numbers written in the code, created once and never freed (a bounded set, so nothing grows).</para>
/// </summary>
internal sealed class KeptScalars : IDisposable
{
    private readonly List<Scalar> _scalars = new();
    private static readonly ConcurrentDictionary<double, Scalar> s_reals = new();
    private static readonly ConcurrentDictionary<long, Scalar> s_integers = new();

    /// <summary>The integer 1, for <c>add(t, One)</c> instead of <c>add(t)</c> / <c>a + b</c> (whose hidden alpha is a temporary). An integer so it also serves integer tensors.</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>A literal number of the code as a Scalar that lives as long as the process; never for values computed at run time (they would accumulate).</summary>
    public static Scalar Constant(double literal) => s_reals.GetOrAdd(literal, static v => v.ToScalar());

    /// <summary>An integer literal as a process-wide Scalar: integer Scalars keep integer tensors integer (<c>masks.sub_(1)</c>) and serve float tensors too.</summary>
    public static Scalar Constant(long literal) => s_integers.GetOrAdd(literal, static v => v.ToScalar());

    /// <summary><paramref name="value"/> as a Scalar kept until <see cref="Dispose"/>.</summary>
    public Scalar Of(double value) => Keep(value.ToScalar());

    /// <summary>An integer <paramref name="value"/> as a Scalar kept until <see cref="Dispose"/> (integer tensors stay integer).</summary>
    public Scalar Of(long value) => Keep(value.ToScalar());

    private Scalar Keep(Scalar s)
    {
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
