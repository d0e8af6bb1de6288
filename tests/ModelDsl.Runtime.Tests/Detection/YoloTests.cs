using ModelDsl.Detection;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Detection;

public class YoloTests
{
    private static Detections Boxes(params (float X1, float Y1, float X2, float Y2, long Label)[] b) =>
        new(tensor(b.SelectMany(x => new[] { x.X1, x.Y1, x.X2, x.Y2 }).ToArray()).reshape(b.Length, 4), tensor(b.Select(x => x.Label).ToArray()));

    [Fact]
    public void Encode_puts_each_box_in_the_cell_of_its_centre()
    {
        var grid = new YoloGrid(gridSize: 4, boxesPerCell: 2, numClasses: 3);
        // centre (0.6, 0.3) → column 2, row 1; within the cell x = 0.6·4 − 2 = 0.4, y = 0.3·4 − 1 = 0.2.
        using var t = grid.Encode([Boxes((0.5f, 0.2f, 0.7f, 0.4f, 2))]);
        Assert.Equal(new long[] { 1, 4, 4, 8 }, t.shape);
        var cell = t[0, 1, 2].data<float>().ToArray();
        Assert.Equal(new[] { 0.4f, 0.2f, 0.2f, 0.2f, 1, 0, 0, 1 }, cell.Select(v => MathF.Round(v, 5)));
        Assert.Equal(1f, t[.., .., .., 4].sum().item<float>());
    }

    [Fact]
    public void Two_centres_in_one_cell_keep_the_larger_box_and_bad_boxes_are_named()
    {
        var grid = new YoloGrid(2, 1, 2);
        using var t = grid.Encode([Boxes((0.1f, 0.1f, 0.2f, 0.2f, 0), (0.0f, 0.0f, 0.4f, 0.4f, 1))]);
        Assert.Equal(1f, t[0, 0, 0, 6].item<float>());    // the 0.4×0.4 box's class
        Assert.Equal(0.4f, t[0, 0, 0, 2].item<float>(), 5);
        var e = Assert.Throws<ArgumentException>(() => grid.Encode([Boxes((0.5f, 0.5f, 0.4f, 0.9f, 0))]));
        Assert.Contains("image 0, box 0", e.Message);
        e = Assert.Throws<ArgumentException>(() => grid.Encode([Boxes((0.1f, 0.1f, 0.2f, 0.2f, 7))]));
        Assert.Contains("class 7, outside 0..1", e.Message);
    }

    [Fact]
    public void Decoding_a_perfect_prediction_gives_back_the_boxes()
    {
        var grid = new YoloGrid(4, 2, 3);
        var truth = Boxes((0.5f, 0.2f, 0.7f, 0.4f, 2), (0.05f, 0.6f, 0.3f, 0.95f, 0));
        using var target = grid.Encode([truth]);
        // Box 0 of each cell = the target box with confidence = object; box 1 zero; classes one-hot.
        var prediction = cat([target[.., .., .., 0..5], zeros(1, 4, 4, 5), target[.., .., .., 5..]], -1);
        var decoded = Assert.Single(grid.Decode(prediction, confidenceThreshold: 0.5));
        Assert.Equal(2, decoded.Count);
        Assert.Equal(new long[] { 2, 0 }, decoded.Labels.data<long>().ToArray().Order().Reverse());
        var order = decoded.Labels.data<long>().ToArray()[0] == 2 ? new[] { 0, 1 } : new[] { 1, 0 };
        Assert.True(decoded.Boxes[order[0]].allclose(truth.Boxes[0], atol: 1e-5));
        Assert.True(decoded.Boxes[order[1]].allclose(truth.Boxes[1], atol: 1e-5));
        Assert.True(decoded.Scores!.allclose(ones(2)));
        // Below the threshold nothing is returned.
        Assert.Equal(0, grid.Decode(prediction * 0.5, confidenceThreshold: 0.5)[0].Count);
    }

    // S = 2, B = 1, C = 2. The object: cell (row 0, col 1), x = y = 0.5, w = h = 0.4, class 1.
    // Prediction in that cell: x 0.6, y 0.5, w 0.36, h 0.49, confidence 0.7, classes (0.2, 0.7);
    // the three other cells: confidence 0.3 (classes there do not count).
    private static (Tensor Prediction, Tensor Target) Course()
    {
        var p = zeros(1, 2, 2, 7);
        p[.., .., .., 4] = 0.3f;
        p[.., .., .., 5] = 0.5f;
        p[.., .., .., 6] = 0.5f;
        p[0, 0, 1] = tensor(new[] { 0.6f, 0.5f, 0.36f, 0.49f, 0.7f, 0.2f, 0.7f });
        var t = zeros(1, 2, 2, 7);
        t[0, 0, 1] = tensor(new[] { 0.5f, 0.5f, 0.4f, 0.4f, 1f, 0f, 1f });
        return (p, t);
    }

    [Fact]
    public void The_course_loss_matches_a_hand_computation()
    {
        var (p, t) = Course();
        var loss = new YoloLoss(new YoloGrid(2, 1, 2));

        var parts = loss.Parts(p, t);

        // IoU in image coordinates: predicted centre ((1 + 0.6)/2, (0 + 0.5)/2) = (0.8, 0.25), 0.36 × 0.49 →
        // x 0.62–0.98, y 0.005–0.495; true centre (0.75, 0.25), 0.4 × 0.4 → x 0.55–0.95, y 0.05–0.45.
        var inter = (0.95 - 0.62) * (0.45 - 0.05);
        var iou = inter / (0.36 * 0.49 + 0.4 * 0.4 - inter);
        Assert.Equal(5 * (0.1 * 0.1), parts.Centre, 5);
        Assert.Equal(5 * (Math.Pow(0.6 - Math.Sqrt(0.4), 2) + Math.Pow(0.7 - Math.Sqrt(0.4), 2)), parts.Size, 5);
        Assert.Equal(Math.Pow(0.7 - iou, 2), parts.Object, 5);
        Assert.Equal(0.5 * 3 * 0.3 * 0.3, parts.NoObject, 5);
        Assert.Equal(0.2 * 0.2 + 0.3 * 0.3, parts.Class, 5);
        Assert.Equal(parts.Total, loss.Compute(p, t).item<float>(), 5);
    }

    [Fact]
    public void The_confidence_target_carries_no_gradient_and_the_responsible_box_is_the_best_overlap()
    {
        var (p, t) = Course();
        var x = p.clone().requires_grad_(true);
        new YoloLoss(new YoloGrid(2, 1, 2)).Compute(x, t).backward();
        // d/dx of 5·(x − 0.5)² at 0.6 = 1; the IoU term would add more if the target carried a gradient.
        Assert.Equal(1.0, x.grad![0, 0, 1, 0].item<float>(), 5);

        // B = 2 in the object cell: box 0 far off, box 1 exact → box 1 is responsible, box 0 counts as no-object.
        var p2 = zeros(1, 2, 2, 12);
        p2[0, 0, 1] = tensor(new[] { 0.0f, 0.0f, 0.1f, 0.1f, 0.4f, 0.5f, 0.5f, 0.4f, 0.4f, 0.9f, 0f, 1f });
        var t2 = t;
        var parts = new YoloLoss(new YoloGrid(2, 2, 2)).Parts(p2, t2);
        Assert.Equal(0, parts.Centre, 6);
        Assert.Equal(0, parts.Size, 6);
        Assert.Equal((0.9 - 1) * (0.9 - 1), parts.Object, 5);
        Assert.Equal(0.5 * 0.4 * 0.4, parts.NoObject, 5);

        // The course's λobj and λclass scale their terms and nothing else (both terms are non-zero here).
        var p3 = p2.clone();
        p3[0, 0, 1, 10] = tensor(0.7f);
        p3[0, 0, 1, 11] = tensor(0.3f);
        parts = new YoloLoss(new YoloGrid(2, 2, 2)).Parts(p3, t2);
        Assert.True(parts.Object > 0 && parts.Class > 0, $"object {parts.Object}, class {parts.Class}");
        var weighted = new YoloLoss(new YoloGrid(2, 2, 2), lambdaObject: 2, lambdaClass: 3).Parts(p3, t2);
        Assert.Equal(2 * parts.Object, weighted.Object, 5);
        Assert.Equal(3 * parts.Class, weighted.Class, 5);
        Assert.Equal(parts.NoObject, weighted.NoObject, 6);
        Assert.Equal(parts.Centre + parts.Size, weighted.Centre + weighted.Size, 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => new YoloLoss(new YoloGrid(2, 2, 2), lambdaClass: -1));
    }

    [Fact]
    public void Wrong_layouts_are_refused_with_the_expected_shape()
    {
        var loss = Loss.Yolo(7, 2, 20);
        var e = Assert.Throws<ArgumentException>(() => loss.Compute(zeros(2, 30, 7, 7), zeros(2, 7, 7, 25)));
        Assert.Contains("[N, 7, 7, 30]", e.Message);
        Assert.Contains("permute(0, 2, 3, 1)", e.Message);
        e = Assert.Throws<ArgumentException>(() => loss.Compute(zeros(2, 7, 7, 30), zeros(2, 7, 7, 24)));
        Assert.Contains("[2, 7, 7, 25]", e.Message);
    }
}
