using ModelDsl;
using ModelDsl.Detection;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitDetection;

/// <summary>
/// The detector's output read as the course's YOLO (v1) grid: S = 8 cells a side, B = 1 box per cell, the 10 digits.
/// The model gives per cell 11 class logits (0 = no digit) and 5 box values in (0, 1); <see cref="ToYoloLayout"/>
/// turns them into <see cref="YoloGrid"/>'s N×S×S×(5 + 10) layout — the box values, then P(digit d) from the softmax
/// over the 11 logits — so that <see cref="YoloLoss"/>, <see cref="YoloGrid.Encode"/> and <see cref="YoloGrid.Decode"/>
/// (confidence × class probability, threshold, per-class NMS) are the runtime's own.
/// </summary>
public sealed class DigitYolo
{
    public const int GridSize = 8, Digits = 10, ClassLogits = Digits + 1, BoxValues = 5;

    public DigitYolo(int imageSize, double classWeight = 1.0)
    {
        ImageSize = imageSize;
        ClassWeight = classWeight;
        Yolo = new YoloLoss(Grid);
    }

    public YoloGrid Grid { get; } = new(GridSize, 1, Digits);
    public YoloLoss Yolo { get; }
    public int ImageSize { get; }

    /// <summary>Weight of the per-cell cross-entropy over the 11 class logits (0 = no digit) added to the YOLO loss.</summary>
    public double ClassWeight { get; }

    /// <summary>Class logits N×11×S×S and box values N×5×S×S (in 0..1) → N×S×S×15: x, y, w, h, confidence, P(digit 0..9).</summary>
    public static Tensor ToYoloLayout(Tensor classLogits, Tensor boxes)
    {
        var digitProbabilities = classLogits.softmax(1).narrow(1, 1, Digits);
        return cat([boxes, digitProbabilities], 1).permute(0, 2, 3, 1);
    }

    /// <summary>
    /// The training loss: the course's YOLO loss (λcoord = 5, λnoobj = 0.5, √w/√h, IoU as the confidence target) on
    /// the YOLO layout, plus <see cref="ClassWeight"/> × the cross-entropy of every cell's 11 class logits against its
    /// digit (+1) or 0 where no box centre falls. Why the extra term: YOLO v1 trains class scores by squared error in
    /// object cells only, which on a CPU budget of a few epochs learns the ten digits slowly; cross-entropy over
    /// all cells (with "no digit" a class) learns them fast and also teaches the class head where digits are not.
    /// </summary>
    public Tensor Loss(Tensor classLogits, Tensor boxes, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var yolo = Yolo.Compute(ToYoloLayout(classLogits, boxes), targets);
        // Targets N×S×S×(5 + 10): object flag at 4, one-hot digit from 5 → cell class 0 (none) or digit + 1.
        var cellClass = (targets.narrow(3, 5, Digits).argmax(3) + 1) * targets.select(3, 4).to(ScalarType.Int64);
        var ce = nn.functional.cross_entropy(classLogits, cellClass);
        return (yolo + ce * ClassWeight).MoveToOuterDisposeScope();
    }

    /// <summary>The loss of the two-head model (<see cref="DigitDetectorNet"/>) for <c>Learner.ForHeads</c>.</summary>
    public Loss HeadsLoss() => ModelDsl.Training.Loss.ForHeads("yolo+cell_ce", (output, targets) =>
        Loss(output.Head("Classes"), output.Head("Boxes"), targets));

    /// <summary>
    /// The detection loader's target encoder: augmented boxes N×M×4 in pixels and classes N×M (−1 = none) → the YOLO
    /// targets N×S×S×(5 + 10) of <see cref="YoloGrid.Encode"/>.
    /// </summary>
    public Tensor EncodeTargets(Tensor boxes, Tensor classes)
    {
        var images = new List<Detections>();
        try
        {
            for (long i = 0; i < boxes.shape[0]; i++)
            {
                var keep = classes[i].ge(0);
                images.Add(new Detections((boxes[i][keep] / ImageSize).clamp(0, 1), classes[i][keep]));
            }
            return Grid.Encode(images, boxes.device);
        }
        finally { foreach (var d in images) d.Dispose(); }
    }

    /// <summary>
    /// Per image, the boxes in pixels scoring at least <paramref name="minScore"/> (confidence × digit probability),
    /// after per-class NMS at IoU 0.5, at most 100, best first.
    /// </summary>
    public List<Detections> Decode(Tensor classLogits, Tensor boxes, double minScore)
    {
        using var scope = NewDisposeScope();
        var decoded = Grid.Decode(ToYoloLayout(classLogits, boxes), minScore, iouThreshold: 0.5, maxDetections: 100);
        var result = new List<Detections>();
        foreach (var d in decoded)
        {
            result.Add(new Detections((d.Boxes * ImageSize).DetachFromDisposeScope(), d.Labels.clone().DetachFromDisposeScope(), d.Scores!.clone().DetachFromDisposeScope()));
            d.Dispose();
        }
        return result;
    }
}
