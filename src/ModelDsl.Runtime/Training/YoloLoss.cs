using ModelDsl.Detection;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>The parts of one batch's YOLO loss (each already weighted, summed over cells, divided by N).</summary>
public readonly record struct YoloLossParts(double Centre, double Size, double Object, double NoObject, double Class)
{
    public double Total => Centre + Size + Object + NoObject + Class;
}

/// <summary>
/// The course's YOLO (v1) loss for an S×S grid with B boxes and C classes (Redmon et al., 2016), on the layout of
/// <see cref="YoloGrid"/>: predictions N×S×S×(B·5 + C), targets N×S×S×(5 + C) from <see cref="YoloGrid.Encode"/>.
/// In a cell that holds an object, the predicted box with the highest IoU with it is "responsible":
/// <code>
///   λcoord·Σ_resp [(x − x̂)² + (y − ŷ)²] + λcoord·Σ_resp [(√w − √ŵ)² + (√h − √ĥ)²]
/// + λobj·Σ_resp (IoU − ĉ)² + λnoobj·Σ_not resp ĉ² + λclass·Σ_object cells Σ_c (p(c) − p̂(c))²
/// </code>
/// summed over cells and divided by the batch size; λobj = λclass = 1 is the paper's loss, the course's formula weighs
/// every term. The confidence target is the responsible box's IoU with the
/// ground truth, without gradient (the paper's "Pr(object)·IoU"). Widths and heights under 10⁻⁶ are clamped before
/// the square root, so a box that collapses gets no infinite gradient.
/// </summary>
public sealed class YoloLoss
{
    public YoloLoss(YoloGrid grid, double lambdaCoord = 5, double lambdaNoObject = 0.5, double lambdaObject = 1, double lambdaClass = 1)
    {
        Grid = grid ?? throw new ArgumentNullException(nameof(grid));
        foreach (var (name, value) in new[] { (nameof(lambdaCoord), lambdaCoord), (nameof(lambdaNoObject), lambdaNoObject), (nameof(lambdaObject), lambdaObject), (nameof(lambdaClass), lambdaClass) })
            if (!(value >= 0) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(name, value, $"YoloLoss: {name} must be a finite weight ≥ 0.");
        LambdaCoord = lambdaCoord;
        LambdaNoObject = lambdaNoObject;
        LambdaObject = lambdaObject;
        LambdaClass = lambdaClass;
    }

    public YoloGrid Grid { get; }
    public double LambdaCoord { get; }
    public double LambdaNoObject { get; }
    /// <summary>λobj: the weight of the responsible boxes' confidence term (1 in the paper).</summary>
    public double LambdaObject { get; }
    /// <summary>λclass: the weight of the class-probability term (1 in the paper).</summary>
    public double LambdaClass { get; }

    /// <summary>The batch's loss as a scalar tensor that carries the autograd graph.</summary>
    public Tensor Compute(Tensor predictions, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var (centre, size, obj, noObj, cls) = Terms(predictions, targets);
        return (centre + size + obj + noObj + cls).MoveToOuterDisposeScope();
    }

    /// <summary>The five parts as numbers, for logging and tests.</summary>
    public YoloLossParts Parts(Tensor predictions, Tensor targets)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (centre, size, obj, noObj, cls) = Terms(predictions, targets);
        return new YoloLossParts(centre.ToDouble(), size.ToDouble(), obj.ToDouble(), noObj.ToDouble(), cls.ToDouble());
    }

    /// <summary>This loss for the <see cref="Learner"/>.</summary>
    public Loss AsLoss() => Loss.Custom($"yolo(S={Grid.GridSize}, B={Grid.BoxesPerCell}, C={Grid.NumClasses})", Compute);

    private (Tensor, Tensor, Tensor, Tensor, Tensor) Terms(Tensor predictions, Tensor targets)
    {
        Grid.CheckPredictions(predictions);
        long n = predictions.shape[0], s = Grid.GridSize, b = Grid.BoxesPerCell;
        Grid.CheckTargets(targets, n);
        var p = predictions;
        var t = targets.to(p.dtype);
        var boxes = p[.., .., .., ..(int)(b * 5)].reshape(n, s, s, b, 5);
        var classes = p[.., .., .., (int)(b * 5)..];
        var truth = t[.., .., .., 0..4].unsqueeze(3);                // N×S×S×1×4
        var hasObject = t[.., .., .., 4];                             // N×S×S
        var truthClasses = t[.., .., .., 5..];

        // Which predicted box is responsible: the highest IoU with the cell's object, in image coordinates.
        Tensor iou;
        using (no_grad()) iou = CellIoU(boxes[.., .., .., .., 0..4], truth, s);   // N×S×S×B
        var responsible = nn.functional.one_hot(iou.argmax(-1), b).to(p.dtype) * hasObject.unsqueeze(-1);

        var dx = boxes[.., .., .., .., 0] - truth[.., .., .., .., 0];
        var dy = boxes[.., .., .., .., 1] - truth[.., .., .., .., 1];
        var dw = boxes[.., .., .., .., 2].clamp_min(1e-6).sqrt() - truth[.., .., .., .., 2].clamp_min(1e-6).sqrt();
        var dh = boxes[.., .., .., .., 3].clamp_min(1e-6).sqrt() - truth[.., .., .., .., 3].clamp_min(1e-6).sqrt();
        var confidence = boxes[.., .., .., .., 4];

        var centre = (responsible * (dx.square() + dy.square())).sum() * (LambdaCoord / n);
        var size = (responsible * (dw.square() + dh.square())).sum() * (LambdaCoord / n);
        var obj = (responsible * (confidence - iou).square()).sum() * (LambdaObject / n);
        var noObj = ((1 - responsible) * confidence.square()).sum() * (LambdaNoObject / n);
        var cls = (hasObject.unsqueeze(-1) * (classes - truthClasses).square()).sum() * (LambdaClass / n);
        return (centre, size, obj, noObj, cls);
    }

    /// <summary>IoU of each predicted box (…×B×4 as x, y in the cell, w, h of the image) with the cell's true box (…×1×4).</summary>
    private static Tensor CellIoU(Tensor predicted, Tensor truth, long s)
    {
        Tensor Corners(Tensor box)
        {
            // The cell offset cancels in the IoU of two boxes of the same cell: centres in cell units / S suffice.
            var cx = box[.., .., .., .., 0] / s;
            var cy = box[.., .., .., .., 1] / s;
            var w = box[.., .., .., .., 2].clamp_min(0);
            var h = box[.., .., .., .., 3].clamp_min(0);
            return stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], -1);
        }
        var a = Corners(predicted);
        var g = Corners(truth);
        var iw = (minimum(a[.., .., .., .., 2], g[.., .., .., .., 2]) - maximum(a[.., .., .., .., 0], g[.., .., .., .., 0])).clamp_min(0);
        var ih = (minimum(a[.., .., .., .., 3], g[.., .., .., .., 3]) - maximum(a[.., .., .., .., 1], g[.., .., .., .., 1])).clamp_min(0);
        var inter = iw * ih;
        var union = (a[.., .., .., .., 2] - a[.., .., .., .., 0]) * (a[.., .., .., .., 3] - a[.., .., .., .., 1])
                  + (g[.., .., .., .., 2] - g[.., .., .., .., 0]) * (g[.., .., .., .., 3] - g[.., .., .., .., 1]) - inter;
        return where(union.gt(0), inter / union.clamp_min(1e-12), zeros_like(union));
    }
}
