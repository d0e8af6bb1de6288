using ModelDsl.Detection;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>Losses for dense tasks: per-pixel classification (segmentation) and the course's YOLO detection loss.</summary>
public sealed partial class Loss
{
    /// <summary>
    /// Per-pixel cross-entropy: logits N×C×H×W against class indices N×H×W. Pixels whose target is
    /// <paramref name="ignoreIndex"/> (255 in Pascal VOC masks) count for nothing; <paramref name="classWeights"/>
    /// (one per class) weight each pixel by its true class, and the mean is over the weights of the counted pixels,
    /// as PyTorch's <c>cross_entropy(weight=…, ignore_index=…)</c>. A batch whose pixels are all ignored gives 0.
    /// </summary>
    public static Loss PixelCrossEntropy(double[]? classWeights = null, long ignoreIndex = 255)
    {
        var weights = classWeights?.ToArray();
        if (weights is not null && weights.Any(w => !(w >= 0) || double.IsInfinity(w)))
            throw new ArgumentOutOfRangeException(nameof(classWeights), "Class weights must be finite and ≥ 0.");
        return new Loss(weights is null ? "pixel_cross_entropy" : "pixel_cross_entropy(weighted)", (p, t) =>
        {
            CheckDense("PixelCrossEntropy", p, t, weights?.Length);
            using var scope = NewDisposeScope();
            var target = t.dtype == ScalarType.Int64 ? t : t.to_type(ScalarType.Int64);
            var w = weights is null ? null : tensor(weights, device: p.device).to(p.dtype);
            var perPixel = nn.functional.cross_entropy(p, target, weight: w, ignore_index: ignoreIndex, reduction: nn.Reduction.None);
            var valid = target.ne(ignoreIndex);
            var counted = w is null ? valid.to(p.dtype) : w.index_select(0, where(valid, target, zeros_like(target)).reshape(-1)).reshape(target.shape) * valid;
            return (perPixel.sum() / counted.sum().clamp_min(1e-12)).MoveToOuterDisposeScope();
        });
    }

    /// <summary>
    /// Soft Dice loss, 1 − mean over classes of (2·Σ p·g + smooth) / (Σ p + Σ g + smooth), with p the softmax of
    /// logits N×C×H×W and g the one-hot targets N×H×W, sums over the batch; ignored pixels count for nothing.
    /// </summary>
    public static Loss Dice(long ignoreIndex = 255, double smooth = 1.0)
    {
        if (!(smooth >= 0)) throw new ArgumentOutOfRangeException(nameof(smooth), smooth, "Smoothing must be ≥ 0.");
        return new Loss("dice", (p, t) =>
        {
            CheckDense("Dice", p, t, null);
            using var scope = NewDisposeScope();
            long c = p.shape[1];
            var target = t.dtype == ScalarType.Int64 ? t : t.to_type(ScalarType.Int64);
            var valid = target.ne(ignoreIndex).unsqueeze(1).to(p.dtype);                       // N×1×H×W
            var probabilities = p.softmax(1) * valid;
            var truth = nn.functional.one_hot(where(target.ne(ignoreIndex), target, zeros_like(target)), c)
                .permute(0, 3, 1, 2).to(p.dtype) * valid;
            var dims = new long[] { 0, 2, 3 };
            var intersection = (probabilities * truth).sum(dims);
            var cardinality = probabilities.sum(dims) + truth.sum(dims);
            var dice = (intersection * 2 + smooth) / (cardinality + smooth).clamp_min(1e-12);
            return (1 - dice.mean()).MoveToOuterDisposeScope();
        });
    }

    /// <summary>The course's YOLO loss (see <see cref="YoloLoss"/>) for an S×S grid with B boxes per cell and C classes.</summary>
    public static Loss Yolo(int gridSize, int boxesPerCell, int numClasses, double lambdaCoord = 5, double lambdaNoObject = 0.5, double lambdaObject = 1, double lambdaClass = 1) =>
        new YoloLoss(new YoloGrid(gridSize, boxesPerCell, numClasses), lambdaCoord, lambdaNoObject, lambdaObject, lambdaClass).AsLoss();

    private static void CheckDense(string loss, Tensor p, Tensor t, int? weights)
    {
        string Shape(Tensor x) => "[" + string.Join(", ", x.shape) + "]";
        if (p.dim() != 4 || t.dim() != 3 || p.shape[0] != t.shape[0] || p.shape[2] != t.shape[1] || p.shape[3] != t.shape[2])
            throw new ArgumentException($"{loss} needs logits N×C×H×W and class indices N×H×W of the same N, H, W; got predictions {Shape(p)} and targets {Shape(t)}.");
        if (p.shape[1] < 2)
            throw new ArgumentException($"{loss} needs one logit per class (C ≥ 2) but the model outputs {Shape(p)}.");
        if (torch.is_floating_point(t))
            throw new ArgumentException($"{loss} needs integer class-index targets, got {t.dtype} (a mask decoded as an image?).");
        if (weights is int w && w != p.shape[1])
            throw new ArgumentException($"{loss}: {w} class weights for {p.shape[1]} classes.");
    }
}
