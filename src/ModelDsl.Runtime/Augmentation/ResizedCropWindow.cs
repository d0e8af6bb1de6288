using ModelDsl.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// torchvision's <c>RandomResizedCrop</c> window, shared by <see cref="RandomResizedCrop"/> and
/// <see cref="PairedRandomResizedCrop"/> so that both draw the same windows in the same order from their generators:
/// area ∈ Scale × the image, log-uniform aspect ratio, clamped to the image, uniform position; samples not selected
/// keep the whole image.
/// </summary>
internal static class ResizedCropWindow
{
    internal static void Validate((double Min, double Max) scale, (double Min, double Max) ratio)
    {
        if (scale.Min <= 0 || scale.Max > 1 || scale.Min > scale.Max) throw new ArgumentOutOfRangeException(nameof(scale), scale, "Scale must satisfy 0 < min ≤ max ≤ 1.");
        if (ratio.Min <= 0 || ratio.Min > ratio.Max) throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "Ratio must satisfy 0 < min ≤ max.");
    }

    /// <summary>
    /// Per sample the window's left, top, width and height in pixels; <paramref name="uniform"/> draws U(lo, hi) per sample,
    /// <paramref name="keep"/> turns a number into a Scalar kept alive for the caller's call (KeptScalars).
    /// </summary>
    internal static (Tensor X0, Tensor Y0, Tensor Width, Tensor Height) Draw(Func<double, double, Tensor> uniform, Func<double, Scalar> keep, Tensor selected,
        double height, double width, (double Min, double Max) scale, (double Min, double Max) ratio)
    {
        var area = uniform(scale.Min, scale.Max) * keep(height * width);
        var r = uniform(Math.Log(ratio.Min), Math.Log(ratio.Max)).exp_();
        var cw = (area * r).sqrt_().clamp_(KeptScalars.Constant(1), keep(width));
        var ch = (area / r).sqrt_().clamp_(KeptScalars.Constant(1), keep(height));
        cw = where(selected, cw, full_like(cw, keep(width)));
        ch = where(selected, ch, full_like(ch, keep(height)));
        var x0 = uniform(0, 1) * cw.neg().add_(keep(width), KeptScalars.One);
        var y0 = uniform(0, 1) * ch.neg().add_(keep(height), KeptScalars.One);
        return (x0, y0, cw, ch);
    }
}
