using ModelDsl.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// Test-time augmentation: runs the model on deterministic views of the batch — the original, its
/// horizontal mirror, and optionally the four corner shifts of a padded crop — and averages the outputs
/// (softmax probabilities by default, raw outputs otherwise). Runs under no_grad.
/// </summary>
public static class TestTimeAugmentation
{
    /// <param name="model">Maps N×C×H×W to N×K outputs (logits).</param>
    /// <param name="batch">Input batch.</param>
    /// <param name="flip">Include the horizontally flipped view.</param>
    /// <param name="cropPadding">If &gt; 0, also the 4 views shifted by ±cropPadding pixels (reflect-padded, then cropped at the corners).</param>
    /// <param name="softmax">Average softmax probabilities (true) or raw outputs (false).</param>
    public static Tensor Predict(Func<Tensor, Tensor> model, Tensor batch, bool flip = true, int cropPadding = 0, bool softmax = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (batch.dim() != 4)
            throw new ArgumentException($"TestTimeAugmentation expects N×C×H×W; got [{string.Join(", ", batch.shape)}].", nameof(batch));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var views = new List<Tensor> { batch };
        if (flip) views.Add(batch.flip(3));
        if (cropPadding > 0)
        {
            long h = batch.shape[2], w = batch.shape[3], p = cropPadding;
            var padded = nn.functional.pad(batch, [p, p, p, p], PaddingModes.Reflect);
            foreach (var (dy, dx) in new[] { (0L, 0L), (0L, 2 * p), (2 * p, 0L), (2 * p, 2 * p) })
                views.Add(padded.narrow(2, dy, h).narrow(3, dx, w));
        }
        Tensor? sum = null;
        foreach (var v in views)
        {
            var o = model(v);
            if (softmax) o = o.softmax(-1);
            sum = sum is null ? o : sum.add(o, KeptScalars.One); // not sum + o: TorchSharp's hidden alpha is a temporary Scalar
        }
        return sum!.div(KeptScalars.Constant(views.Count)).MoveToOuterDisposeScope(); // at most 10 views: a bounded set of constants
    }

    /// <summary>
    /// AlexNet's test-time augmentation (Krizhevsky et al., 2012, and the course): the average of the model's predictions on
    /// the ten <paramref name="height"/>×<paramref name="width"/> crops of <see cref="TenCrop"/> — four corners and the centre,
    /// and the same of the mirrored image. Softmax probabilities by default. Runs under no_grad.
    /// </summary>
    public static Tensor PredictTenCrop(Func<Tensor, Tensor> model, Tensor batch, long height, long width, bool softmax = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor? sum = null;
        var crops = TenCrop(batch, height, width);
        foreach (var crop in crops)
        {
            var o = model(crop);
            if (softmax) o = o.softmax(-1);
            sum = sum is null ? o : sum.add(o, KeptScalars.One);
        }
        return sum!.div(KeptScalars.Constant(crops.Count)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// torchvision's <c>five_crop</c> on a batch: the top-left, top-right, bottom-left, bottom-right and centre
    /// <paramref name="height"/>×<paramref name="width"/> crops, in that order (the centre as <c>center_crop</c> places it,
    /// its offsets rounded half to even as Python's <c>round</c>). Views of <paramref name="batch"/>, not copies.
    /// </summary>
    public static IReadOnlyList<Tensor> FiveCrop(Tensor batch, long height, long width)
    {
        if (batch.dim() != 4)
            throw new ArgumentException($"FiveCrop expects N×C×H×W; got [{string.Join(", ", batch.shape)}].", nameof(batch));
        long h = batch.shape[2], w = batch.shape[3];
        if (height < 1 || width < 1 || height > h || width > w)
            throw new ArgumentException($"FiveCrop: a {height}×{width} crop does not fit a {h}×{w} image.", nameof(height));
        Tensor Crop(long top, long left) => batch.narrow(2, top, height).narrow(3, left, width);
        long centreTop = (long)Math.Round((h - height) / 2.0, MidpointRounding.ToEven), centreLeft = (long)Math.Round((w - width) / 2.0, MidpointRounding.ToEven);
        return new[] { Crop(0, 0), Crop(0, w - width), Crop(h - height, 0), Crop(h - height, w - width), Crop(centreTop, centreLeft) };
    }

    /// <summary>torchvision's <c>ten_crop</c>: <see cref="FiveCrop"/> of the batch, then five-crop of its horizontal mirror.</summary>
    public static IReadOnlyList<Tensor> TenCrop(Tensor batch, long height, long width)
        => FiveCrop(batch, height, width).Concat(FiveCrop(batch.flip(3), height, width)).ToList();
}
