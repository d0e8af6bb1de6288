using ModelDsl.Data;
using ModelDsl.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// A flip of a dense batch by per-sample decisions, for <see cref="RandomHorizontalFlip"/> and <see cref="RandomVerticalFlip"/>:
/// images and masks mirror along the axis, a box's two coordinates on that axis become size − the other (x0′ = W − x1,
/// x1′ = W − x0); rows of class −1 (no box) stay as they are.
/// </summary>
internal static class Flips
{
    public static DenseBatch Apply(DenseBatch batch, Tensor flip, bool horizontal, Func<double, Scalar> scalar)
    {
        using var scope = NewDisposeScope();
        var x = batch.Images;
        long imageAxis = horizontal ? 3 : 2;
        var images = where(flip.view(-1, 1, 1, 1), x.flip(imageAxis), x);
        var masks = batch.Masks is { } m ? where(flip.view(-1, 1, 1), m.flip(imageAxis - 1), m) : null;
        Tensor? boxes = null;
        if (batch.Boxes is { } b)
        {
            long size = x.shape[imageAxis];
            int lo = horizontal ? 0 : 1, hi = lo + 2;
            // size − coordinate, written with kept Scalars (a bare number would be a temporary Scalar: KeptScalars says why).
            var newLo = b.select(2, hi).neg().add_(scalar(size), KeptScalars.One);
            var newHi = b.select(2, lo).neg().add_(scalar(size), KeptScalars.One);
            var columns = Enumerable.Range(0, 4).Select(k => k == lo ? newLo : k == hi ? newHi : b.select(2, k)).ToArray();
            var mirrored = stack(columns, 2);
            var present = batch.Classes is { } c ? c.ge(0) : ones(b.shape[0], b.shape[1], ScalarType.Bool, b.device);
            boxes = where(flip.view(-1, 1).logical_and(present).unsqueeze(2), mirrored, b);
        }
        return new DenseBatch(images.MoveToOuterDisposeScope(), masks?.MoveToOuterDisposeScope(), boxes?.MoveToOuterDisposeScope(), batch.Classes?.alias().MoveToOuterDisposeScope());
    }
}
