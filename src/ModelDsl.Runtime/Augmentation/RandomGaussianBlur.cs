using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// torchvision's <c>GaussianBlur(kernel_size, sigma)</c>, per sample: each sample blurred with probability p by a Gaussian
/// of its own σ drawn uniformly from [<c>sigmaMin</c>, <c>sigmaMax</c>] (torchvision draws one per
/// call), the kernel <see cref="KernelSize"/> wide (odd), reflect-padded as torchvision pads — one separable pass per
/// axis as a grouped convolution over the whole batch.
/// </summary>
public sealed class RandomGaussianBlur : RandomAugmentation
{
    public RandomGaussianBlur(int kernelSize, double sigmaMin = 0.1, double sigmaMax = 2.0, double p = 1, long? seed = null) : base(p, seed)
    {
        if (kernelSize < 1 || kernelSize % 2 == 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "GaussianBlur: the kernel size must be odd and positive.");
        if (!(sigmaMin > 0 && sigmaMax >= sigmaMin) || double.IsInfinity(sigmaMax))
            throw new ArgumentOutOfRangeException(nameof(sigmaMin), $"GaussianBlur: σ must be in (0, ∞) with min ≤ max; got [{sigmaMin}, {sigmaMax}].");
        KernelSize = kernelSize;
        SigmaMin = sigmaMin;
        SigmaMax = sigmaMax;
    }

    public int KernelSize { get; }
    public double SigmaMin { get; }
    public double SigmaMax { get; }

    protected override Tensor ApplyCore(Tensor x, Generator g)
    {
        var mask = View4(Mask(g, x.shape[0], x.device));
        var sigma = Uniform(g, x.shape[0], x.device, SigmaMin, SigmaMax);                      // N
        if (KernelSize / 2 >= x.shape[2] || KernelSize / 2 >= x.shape[3])
            throw new ArgumentException($"GaussianBlur({KernelSize}): a {x.shape[2]}×{x.shape[3]} image is too small for its reflect padding of {KernelSize / 2}.", nameof(x));
        return where(mask, Blur(x, sigma, KernelSize), x);
    }

    /// <summary>
    /// torchvision's <c>gaussian_blur</c> with a σ per sample (<paramref name="sigma"/>, N): the kernel
    /// exp(−½ (t/σ)²) at t = −(k−1)/2 … (k−1)/2 normalised to sum 1, reflect padding, one separable pass per axis as a
    /// grouped convolution over the whole batch. Also blurs ElasticTransform's displacement noise.
    /// </summary>
    internal static Tensor Blur(Tensor x, Tensor sigma, int kernelSize)
    {
        long n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        int half = kernelSize / 2;
        var t = linspace(-half, half, kernelSize, ScalarType.Float32, x.device);                // k
        var kernel = (t.unsqueeze(0) / sigma.to_type(ScalarType.Float32).unsqueeze(1)).pow(2).mul(C(-0.5)).exp();   // N×k
        kernel = (kernel / kernel.sum(1, keepdim: true)).to_type(x.dtype);
        var perChannel = kernel.repeat_interleave(c, 0);                                       // (N·C)×k, sample-major as x's channels
        var padded = nn.functional.pad(x.reshape(1, n * c, h, w), new long[] { half, half, half, half }, PaddingModes.Reflect);
        var rows = nn.functional.conv2d(padded, perChannel.view(n * c, 1, kernelSize, 1), groups: n * c);
        return nn.functional.conv2d(rows, perChannel.view(n * c, 1, 1, kernelSize), groups: n * c).view(n, c, h, w);
    }
}
