using System.Text.Json;
using ModelDsl.Data;

namespace DigitDetection;

/// <summary>
/// Detections in COCO's results format (what pycocotools' <c>loadRes</c> and the COCO evaluation server read): one
/// object per detection, <c>{"image_id", "category_id", "bbox": [x, y, width, height], "score"}</c>, with the image
/// and category ids of the ground-truth annotations file, so the file can be evaluated against it as it is.
/// </summary>
public static class CocoResults
{
    /// <summary>The image id of every file name in a COCO annotations file (<c>images[].file_name</c> → <c>id</c>).</summary>
    public static Dictionary<string, long> ImageIds(string annotationsPath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(annotationsPath));
        return doc.RootElement.GetProperty("images").EnumerateArray()
            .ToDictionary(i => i.GetProperty("file_name").GetString()!, i => i.GetProperty("id").GetInt64(), StringComparer.Ordinal);
    }

    /// <summary>
    /// Writes <paramref name="detections"/> (per image id, boxes in pixels with class index k) with category id
    /// <c>categoryIds[k]</c>, coordinates rounded to 0.01 px and scores to 5 digits, as COCO's own result files are.
    /// </summary>
    public static void Write(string path, IEnumerable<(long ImageId, IReadOnlyList<ScoredBox> Boxes)> detections, IReadOnlyList<long> categoryIds)
    {
        var rows = new List<Dictionary<string, object>>();
        foreach (var (imageId, boxes) in detections)
            foreach (var s in boxes)
            {
                var b = s.Box;
                rows.Add(new Dictionary<string, object>
                {
                    ["image_id"] = imageId,
                    ["category_id"] = categoryIds[b.Class],
                    ["bbox"] = new[] { Math.Round(b.X1, 2), Math.Round(b.Y1, 2), Math.Round(b.X2 - b.X1, 2), Math.Round(b.Y2 - b.Y1, 2) },
                    ["score"] = Math.Round(s.Score, 5),
                });
            }
        File.WriteAllText(path, JsonSerializer.Serialize(rows));
    }
}
