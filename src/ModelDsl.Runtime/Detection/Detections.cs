using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Detection;

/// <summary>
/// The boxes of one image: <see cref="Boxes"/> K×4 as (x1, y1, x2, y2) — pixels or normalised, the continuous
/// convention of <see cref="Metrics.BoxIoU"/> — <see cref="Labels"/> K class indices (int64), and for predictions
/// <see cref="Scores"/> K confidences (null for ground truth). The tensors stay where they are (CPU or CUDA);
/// the record owns them: <see cref="Dispose"/> frees them.
/// </summary>
public sealed record Detections(Tensor Boxes, Tensor Labels, Tensor? Scores = null) : IDisposable
{
    public long Count => Boxes.shape[0];

    /// <summary>No boxes, on <paramref name="device"/> (CPU by default).</summary>
    public static Detections Empty(bool withScores, Device? device = null) =>
        new(zeros(0, 4, device: device), zeros(0, ScalarType.Int64, device: device), withScores ? zeros(0, device: device) : null);

    /// <summary>Checks the shapes and dtypes; <paramref name="what"/> names the input in the message.</summary>
    internal void Validate(string metric, string what, bool needScores)
    {
        string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
        if (Boxes.dim() != 2 || Boxes.shape[1] != 4)
            throw new ArgumentException($"{metric}: {what} boxes must be [K, 4] (x1, y1, x2, y2), got {Shape(Boxes)}.");
        if (Labels.dim() != 1 || Labels.shape[0] != Boxes.shape[0])
            throw new ArgumentException($"{metric}: {what} labels must be [K] with K = {Boxes.shape[0]} (one per box), got {Shape(Labels)}.");
        if (torch.is_floating_point(Labels))
            throw new ArgumentException($"{metric}: {what} labels must be integer class indices, got {Labels.dtype}.");
        if (needScores && Scores is null)
            throw new ArgumentException($"{metric}: {what} need scores (one confidence per box).");
        if (Scores is not null && (Scores.dim() != 1 || Scores.shape[0] != Boxes.shape[0]))
            throw new ArgumentException($"{metric}: {what} scores must be [K] with K = {Boxes.shape[0]}, got {Shape(Scores)}.");
    }

    /// <summary>The boxes of one image as read from a YOLO or COCO file (<see cref="Data.LabeledBox"/>), as tensors.</summary>
    public static Detections FromBoxes(IReadOnlyList<Data.LabeledBox> boxes, Device? device = null)
    {
        if (boxes.Count == 0) return Empty(withScores: false, device);
        var xyxy = boxes.SelectMany(b => new[] { (float)b.X1, (float)b.Y1, (float)b.X2, (float)b.Y2 }).ToArray();
        return new Detections(tensor(xyxy, new long[] { boxes.Count, 4 }, device: device), tensor(boxes.Select(b => (long)b.Class).ToArray(), device: device));
    }

    /// <summary>These boxes (with their scores, 1 for ground truth) for the reports (<c>Plots.DetectionGrid</c>).</summary>
    public List<Data.ScoredBox> ToScoredBoxes()
    {
        using var scope = NewDisposeScope();
        var b = HostValues.Of<double>(Boxes.detach().to(ScalarType.Float64).cpu());
        var l = HostValues.Of<long>(Labels.detach().to(ScalarType.Int64).cpu());
        var s = Scores is null ? null : HostValues.Of<double>(Scores.detach().to(ScalarType.Float64).cpu());
        return Enumerable.Range(0, l.Length)
            .Select(i => new Data.ScoredBox(new Data.LabeledBox((int)l[i], b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]), s?[i] ?? 1))
            .ToList();
    }

    public void Dispose()
    {
        Boxes.Dispose();
        Labels.Dispose();
        Scores?.Dispose();
    }
}

/// <summary>Host copies of small tensors (TorchSharp's <c>data&lt;T&gt;().ToArray()</c> throws on an empty tensor).</summary>
internal static class HostValues
{
    internal static T[] Of<T>(Tensor t) where T : unmanaged => t.numel() == 0 ? Array.Empty<T>() : t.data<T>().ToArray();
}
