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
}
