using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// A named loss: the name travels with the function so that error messages and logs can say which
/// loss was used. Build one with the static factories (<see cref="CrossEntropy"/>, ...).
/// </summary>
public sealed partial class Loss
{
    private readonly Func<Tensor, Tensor, Tensor> _fn;

    private Loss(string name, Func<Tensor, Tensor, Tensor> fn)
    {
        Name = name;
        _fn = fn;
    }

    public string Name { get; }

    /// <summary>Mean loss of one batch, as a scalar tensor that still carries the autograd graph.</summary>
    public Tensor Compute(Tensor predictions, Tensor targets) => _fn(predictions, targets);

    /// <summary>
    /// Multiclass classification on raw logits (N×C, or N×C×… for dense outputs), as <c>nn.CrossEntropyLoss</c>: targets are
    /// class indices (N, integer; float targets that hold whole numbers are taken as indices too) or class probabilities
    /// (float, the logits' shape, e.g. MixUp's or a teacher's soft labels). Any other target is one clear line naming both shapes.
    /// </summary>
    /// <param name="labelSmoothing">Mass in [0,1) spread uniformly over all classes, as in PyTorch (for probabilities too).</param>
    public static Loss CrossEntropy(double labelSmoothing = 0.0)
    {
        if (labelSmoothing < 0 || labelSmoothing >= 1)
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "Label smoothing must be in [0, 1).");
        return new Loss(labelSmoothing == 0 ? "cross_entropy" : $"cross_entropy(smoothing={labelSmoothing})", (p, t) =>
        {
            if (p.dim() < 2 || p.shape[1] < 2)
                throw new ArgumentException(
                    $"CrossEntropy needs one logit per class (N×C, C ≥ 2) but the model outputs [{string.Join(", ", p.shape)}]. " +
                    "For a single-output binary classifier use Loss.BCEWithLogits().");
            return nn.functional.cross_entropy(p, CrossEntropyTarget(p, t), label_smoothing: labelSmoothing);
        });
    }

    /// <summary>The target as PyTorch's cross-entropy takes it: int64 indices of the logits' shape without the class axis, or float probabilities of its shape.</summary>
    private static Tensor CrossEntropyTarget(Tensor p, Tensor t)
    {
        string Shapes() => $"logits [{string.Join(", ", p.shape)}], targets [{string.Join(", ", t.shape)}] ({t.dtype})";
        if (t.is_floating_point() && t.shape.SequenceEqual(p.shape)) return t.dtype == p.dtype ? t : t.to_type(p.dtype);
        var indexShape = p.shape.Take(1).Concat(p.shape.Skip(2)).ToArray();
        if (!t.shape.SequenceEqual(indexShape))
            throw new ArgumentException($"CrossEntropy: the targets are neither class indices (shape [{string.Join(", ", indexShape)}]) nor class probabilities (the logits' shape): {Shapes()}.");
        if (t.dtype == ScalarType.Int64) return t;
        if (t.is_floating_point())
        {
            using var whole = t.eq(t.round()).all();
            if (!whole.item<bool>())
                throw new ArgumentException($"CrossEntropy: float targets of the index shape must hold whole class indices, but these have fractions: {Shapes()}. For class probabilities give the logits' shape.");
        }
        else if (t.dtype == ScalarType.Bool)
            throw new ArgumentException($"CrossEntropy: boolean targets: {Shapes()}. Use class indices (int64) or, for yes/no labels with one logit, Loss.BCEWithLogits().");
        return t.to_type(ScalarType.Int64);
    }

    /// <summary>Binary / multilabel classification on raw logits; the numerically stable choice (no Sigmoid in the model).</summary>
    public static Loss BCEWithLogits() =>
        new("bce_with_logits", (p, t) => nn.functional.binary_cross_entropy_with_logits(p, MatchTarget(p, t)));

    /// <summary>Binary cross-entropy on probabilities (the model ends in Sigmoid). Prefer <see cref="BCEWithLogits"/>.</summary>
    public static Loss BCE() =>
        new("bce", (p, t) => nn.functional.binary_cross_entropy(p, MatchTarget(p, t)));

    /// <summary>Negative log-likelihood on log-probabilities (the model ends in LogSoftmax).</summary>
    public static Loss NLL() =>
        new("nll", (p, t) => nn.functional.nll_loss(p, t.dtype == ScalarType.Int64 ? t : t.to_type(ScalarType.Int64)));

    /// <summary>Mean squared error for regression.</summary>
    public static Loss MSE() =>
        new("mse", (p, t) => nn.functional.mse_loss(p, MatchTarget(p, t)));

    /// <summary>A custom loss; <paramref name="fn"/> must return the batch mean as a scalar tensor.</summary>
    public static Loss Custom(string name, Func<Tensor, Tensor, Tensor> fn) => new(name, fn);

    // Loaders hand out int64 labels of shape N while a 1-unit head outputs N×1 floats: convert and
    // reshape here so the common binary case works without the user writing casts, but refuse a real
    // size mismatch rather than let broadcasting silently compute a wrong loss.
    private static Tensor MatchTarget(Tensor p, Tensor t)
    {
        if (t.numel() != p.numel())
            throw new ArgumentException($"Targets [{string.Join(", ", t.shape)}] do not match predictions [{string.Join(", ", p.shape)}].");
        var r = t.dtype == p.dtype ? t : t.to_type(p.dtype);
        return r.shape.SequenceEqual(p.shape) ? r : r.reshape(p.shape);
    }

    public override string ToString() => Name;
}
