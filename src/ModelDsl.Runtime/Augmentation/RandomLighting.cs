using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// AlexNet's PCA colour augmentation ("lighting", Krizhevsky et al. 2012, as fb.resnet.torch and the course write it): to
/// every pixel of an RGB sample, <c>V · (α ⊙ λ)</c> — λ and V ImageNet's RGB eigenvalues and eigenvectors, α drawn per sample
/// from N(0, <see cref="AlphaStd"/>²) — one colour shift per sample, the same at every pixel. Other channel counts pass.
/// </summary>
public sealed class RandomLighting : RandomAugmentation
{
    /// <summary>ImageNet's RGB eigenvalues (fb.resnet.torch's, for images in [0, 1]).</summary>
    public static readonly float[] EigenValues = { 0.2175f, 0.0188f, 0.0045f };

    /// <summary>ImageNet's RGB eigenvectors, row by row (fb.resnet.torch's).</summary>
    public static readonly float[] EigenVectors =
    {
        -0.5675f, 0.7192f, 0.4009f,
        -0.5808f, -0.0045f, -0.8140f,
        -0.5836f, -0.6948f, 0.4203f,
    };

    public RandomLighting(double alphaStd = 0.1, double p = 1, long? seed = null) : base(p, seed)
    {
        if (!(alphaStd >= 0) || double.IsInfinity(alphaStd)) throw new ArgumentOutOfRangeException(nameof(alphaStd), alphaStd, "RandomLighting: α's std must be finite and ≥ 0.");
        AlphaStd = alphaStd;
    }

    public double AlphaStd { get; }

    protected override Tensor ApplyCore(Tensor x, Generator g)
    {
        long n = x.shape[0];
        var mask = View4(Mask(g, n, x.device));
        var alpha = randn(new[] { n, 3L }, ScalarType.Float32, x.device, generator: g).mul(S(AlphaStd));   // N×3
        if (x.shape[1] != 3) return x;
        var eigenValues = tensor(EigenValues, device: x.device);
        var eigenVectors = tensor(EigenVectors, device: x.device).view(3, 3);
        var shift = (alpha * eigenValues).matmul(eigenVectors.t());                                     // N×3: V·(α⊙λ) per sample
        return where(mask, x + shift.view(n, 3, 1, 1).to_type(x.dtype), x);
    }
}
