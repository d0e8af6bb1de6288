using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Data;

/// <summary>
/// How a detection batch's boxes travel in a <see cref="Batch"/>'s single Targets tensor, so the Learner
/// and every <c>IEnumerable&lt;Batch&gt;</c> consumer take detection data unchanged: N×M×5 float32 rows
/// (x1, y1, x2, y2, class) in pixels, M the most boxes of any image in the batch, rows of class −1 (all
/// zeros otherwise) padding the images with fewer.
/// </summary>
public static class DetectionTargets
{
    /// <summary>Pads per-image box lists to N×M×4 boxes and N×M classes (−1 = none), M ≥ <paramref name="minRows"/>.</summary>
    public static (Tensor Boxes, Tensor Classes) Pad(IReadOnlyList<IReadOnlyList<LabeledBox>> boxes, int minRows = 1)
    {
        int n = boxes.Count, m = Math.Max(minRows, boxes.Count == 0 ? 0 : boxes.Max(b => b.Count));
        var xyxy = new float[n * m * 4];
        var cls = new long[n * m];
        Array.Fill(cls, -1L);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < boxes[i].Count; j++)
            {
                var b = boxes[i][j];
                int o = (i * m + j) * 4;
                (xyxy[o], xyxy[o + 1], xyxy[o + 2], xyxy[o + 3]) = ((float)b.X1, (float)b.Y1, (float)b.X2, (float)b.Y2);
                cls[i * m + j] = b.Class;
            }
        return (torch.tensor(xyxy, new long[] { n, m, 4 }), torch.tensor(cls, new long[] { n, m }));
    }

    /// <summary>N×M×4 boxes and N×M classes → N×M×5 targets.</summary>
    public static Tensor Pack(Tensor boxes, Tensor classes)
    {
        Check(boxes, classes);
        using var scope = NewDisposeScope();
        return torch.cat([boxes.to_type(ScalarType.Float32), classes.to_type(ScalarType.Float32).unsqueeze(-1)], -1).MoveToOuterDisposeScope();
    }

    /// <summary>N×M×5 targets → N×M×4 boxes (float32) and N×M classes (int64, −1 = none).</summary>
    public static (Tensor Boxes, Tensor Classes) Unpack(Tensor targets)
    {
        if (targets.dim() != 3 || targets.shape[2] != 5)
            throw new ArgumentException($"Detection targets are N×M×5 (x1, y1, x2, y2, class); got [{string.Join(", ", targets.shape)}].", nameof(targets));
        using var scope = NewDisposeScope();
        var boxes = targets.narrow(2, 0, 4).to_type(ScalarType.Float32).contiguous();
        var classes = targets.select(2, 4).round().to_type(ScalarType.Int64);
        return (boxes.MoveToOuterDisposeScope(), classes.MoveToOuterDisposeScope());
    }

    /// <summary>Padded boxes and classes back to one list per image (rows of class −1 skipped), on the host.</summary>
    public static IReadOnlyList<LabeledBox>[] ToLists(Tensor boxes, Tensor classes)
    {
        Check(boxes, classes);
        using var scope = NewDisposeScope();
        int n = (int)boxes.shape[0], m = (int)boxes.shape[1];
        var b = boxes.to_type(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        var c = classes.to_type(ScalarType.Int64).cpu().contiguous().data<long>().ToArray();
        var result = new IReadOnlyList<LabeledBox>[n];
        for (int i = 0; i < n; i++)
        {
            var list = new List<LabeledBox>();
            for (int j = 0; j < m; j++)
            {
                int k = i * m + j;
                if (c[k] < 0) continue;
                list.Add(new LabeledBox((int)c[k], b[4 * k], b[4 * k + 1], b[4 * k + 2], b[4 * k + 3]));
            }
            result[i] = list;
        }
        return result;
    }

    internal static void Check(Tensor boxes, Tensor classes)
    {
        if (boxes.dim() != 3 || boxes.shape[2] != 4)
            throw new ArgumentException($"Boxes are N×M×4 (x1, y1, x2, y2); got [{string.Join(", ", boxes.shape)}].", nameof(boxes));
        if (classes.dim() != 2 || classes.shape[0] != boxes.shape[0] || classes.shape[1] != boxes.shape[1])
            throw new ArgumentException($"Classes must be N×M to match boxes [{string.Join(", ", boxes.shape)}]; got [{string.Join(", ", classes.shape)}].", nameof(classes));
    }
}
